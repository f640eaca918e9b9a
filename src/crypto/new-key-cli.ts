import { randomBytes } from 'node:crypto';
import { formatKeyEntry } from './keyring.js';

// `npm run keys:new`: prints a fresh TOKEN_KEYS entry. To rotate, put it first and keep the old one
// after it until every stored token has been re-encrypted.
const id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
process.stdout.write(`${formatKeyEntry(id, randomBytes(32))}\n`);
