import { createXeroEmulator, type OrganisationSeed, type XeroEmulator } from '../../emulators/xero/index.js';
import { Browser, type DunwellUnderTest, startDunwell } from './dunwell-harness.js';

export const xeroApp = {
  clientId: 'dunwell-xero-client',
  clientSecret: 'dunwell-xero-secret',
  webhookKey: 'xero-webhook-key',
};

export interface XeroHarness extends DunwellUnderTest {
  emulator: XeroEmulator;
  tenantIds: string[];
  advance(ms: number): void;
  /**
   * Connects as `userEmail`, picking `tenantId` when the login covers several organisations; with
   * `preview`, the organisation is left in preview (nothing is planned for it until it goes live).
   */
  connect(
    userEmail: string,
    tenantId?: string,
    options?: { preview?: boolean },
  ): Promise<{ connectionId: string; cookie: string; csrf: string; choicePage: string | null }>;
}

/** A Xero emulator with the given organisations, a fresh database, and Dunwell running against both. */
export async function startXeroHarness(adminUrl: string, seeds: OrganisationSeed[]): Promise<XeroHarness> {
  let clockOffset = 0;
  const emulator = createXeroEmulator({ ...xeroApp, now: () => Date.now() + clockOffset });
  await emulator.listen(0);
  const tenantIds = seeds.map((seed) => emulator.addOrganisation(seed));
  const dunwell = await startDunwell(adminUrl, {
    XERO_CLIENT_ID: xeroApp.clientId,
    XERO_CLIENT_SECRET: xeroApp.clientSecret,
    XERO_WEBHOOK_KEY: xeroApp.webhookKey,
    XERO_EMULATOR_URL: emulator.url,
  });
  emulator.setWebhookTarget({ url: `${dunwell.runtime.url}/webhooks/xero`, mode: 'manual' });
  return {
    ...dunwell,
    emulator,
    tenantIds,
    advance(ms) {
      clockOffset += ms;
    },
    async connect(userEmail, tenantId, options = {}) {
      const browser = new Browser();
      const connected = await browser.connect(dunwell.runtime.url, 'xero', {
        consentParameters: `&user=${encodeURIComponent(userEmail)}`,
        ...(tenantId ? { choose: () => tenantId } : {}),
        ...(options.preview ? { preview: true } : {}),
      });
      return { ...connected, cookie: browser.cookie, csrf: browser.csrfToken ?? '' };
    },
    async stop() {
      await dunwell.stop();
      await emulator.close();
    },
  };
}
