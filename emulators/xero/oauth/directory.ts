/**
 * Xero users and their connections to the app. A connection is one (user, organisation) pair: consenting again
 * to an organisation already connected keeps the connection's id and moves its updatedDateUtc and authEventId
 * on, as Xero's identity API describes (xero-identity.yaml: "updatedDateUtc … May differ to the created date if
 * the user has disconnected and subsequently reconnected this tenant"). GET /connections lists every
 * organisation the token's user has connected to the app; `?authEventId=` narrows it to one consent.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { UserSeed } from '../types.js';

export interface User {
  /** xero_userid. */
  id: string;
  /** OpenID subject (32 hex characters, like Xero's). */
  sub: string;
  email: string;
  firstName: string;
  lastName: string;
  /** Organisations the user belongs to, in the order they were added. */
  tenantIds: string[];
}

export interface Connection {
  id: string;
  userId: string;
  tenantId: string;
  authEventId: string;
  createdAt: number;
  updatedAt: number;
}

export class Directory {
  private readonly users = new Map<string, User>();
  private readonly connections = new Map<string, Connection>();

  constructor(private readonly now: () => number) {}

  /** The user with this email, created on first use. */
  user(seed: UserSeed): User {
    const key = seed.email.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = {
        id: randomUUID(),
        sub: randomBytes(16).toString('hex'),
        email: seed.email,
        firstName: seed.firstName,
        lastName: seed.lastName,
        tenantIds: [],
      };
      this.users.set(key, user);
    }
    return user;
  }

  byEmail(email: string): User | undefined {
    return this.users.get(email.toLowerCase());
  }

  byId(id: string): User | undefined {
    for (const user of this.users.values()) if (user.id === id) return user;
    return undefined;
  }

  first(): User | undefined {
    return this.users.values().next().value;
  }

  connect(user: User, tenantIds: readonly string[], authEventId: string): void {
    const now = this.now();
    for (const tenantId of tenantIds) {
      const key = `${user.id}:${tenantId}`;
      const existing = this.connections.get(key);
      if (existing) Object.assign(existing, { authEventId, updatedAt: now });
      else
        this.connections.set(key, {
          id: randomUUID(),
          userId: user.id,
          tenantId,
          authEventId,
          createdAt: now,
          updatedAt: now,
        });
    }
  }

  connectionsOf(userId: string): Connection[] {
    return [...this.connections.values()].filter((c) => c.userId === userId);
  }

  isConnected(userId: string, tenantId: string): boolean {
    return this.connections.has(`${userId}:${tenantId}`);
  }

  /** DELETE /connections/{id}; false when the user has no such connection. */
  removeConnection(userId: string, connectionId: string): boolean {
    for (const [key, connection] of this.connections) {
      if (connection.userId === userId && connection.id === connectionId) {
        this.connections.delete(key);
        return true;
      }
    }
    return false;
  }

  removeWhere(match: (connection: Connection) => boolean): void {
    for (const [key, connection] of this.connections) if (match(connection)) this.connections.delete(key);
  }
}
