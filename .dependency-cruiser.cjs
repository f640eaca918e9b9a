/**
 * The floors of the house (docs/architecture.md), checked in CI by `npm run lint:imports`.
 * From the bottom: domain primitives → storage → ledger connectors → services → the two ways in
 * (web requests and jobs) → the process (runtime, main). A module may import its own floor and any
 * floor below it, never one above. The emulators stand beside the product: only the zero-setup
 * runtime, tests and benches reach them.
 */
const services =
  '^src/(ledger|sync|collections|messaging|arrangements|reports|organisations|accounts|connections|evidence|ledger-writes|timeline|customers|review|words|portal|services|health|forecast|replies|statements|documents)/';
const entries = '^src/(web|jobs)/';
const processFiles = '^src/(runtime|main)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-the-bottom-floor',
      comment: 'src/domain holds primitives every floor may use; it imports none of them.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src|connectors|emulators)/', pathNot: ['^src/domain/', '^connectors/vendors\\.ts$'] },
    },
    {
      name: 'vendors-list-imports-nothing',
      severity: 'error',
      from: { path: '^connectors/vendors\\.ts$' },
      to: { path: '^(src|connectors|emulators)/' },
    },
    {
      name: 'storage-below-services',
      comment: 'The schema and the database client know nothing of what uses them.',
      severity: 'error',
      from: { path: '^src/(db|crypto)/' },
      to: {
        path: [services, entries, processFiles, '^connectors/', '^emulators/'],
        pathNot: '^connectors/vendors\\.ts$',
      },
    },
    {
      name: 'connectors-below-services',
      comment: 'A connector speaks to one vendor; it uses domain primitives, never the services above.',
      severity: 'error',
      from: { path: '^connectors/' },
      to: { path: [services, entries, processFiles, '^src/db/', '^emulators/'] },
    },
    {
      name: 'services-below-entries',
      comment: 'Services never reach up into the web layer, the jobs or the process.',
      severity: 'error',
      from: { path: services },
      to: { path: [entries, processFiles, '^emulators/'] },
    },
    {
      name: 'web-and-jobs-apart',
      comment: 'The two ways in share services, not each other.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/jobs/' },
    },
    {
      name: 'jobs-apart-from-web',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/web/' },
    },
    {
      name: 'emulators-only-from-the-runtime',
      comment: 'Production code reaches the emulators only through the zero-setup runtime.',
      severity: 'error',
      from: { path: '^src/', pathNot: processFiles },
      to: { path: '^emulators/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(src|connectors)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|test/fixtures)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
