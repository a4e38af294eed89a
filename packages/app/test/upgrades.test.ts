import { readTemplate, synthApp } from './support/synth';

/**
 * The logical ids of every stateful resource, pinned. CloudFormation replaces a resource
 * whose logical id changes: for the jobs table or the bucket that means a new, empty one,
 * and with `Retain` the old one orphaned with the data. A refactor that moves or renames a
 * construct on the path of one of these fails here; if the move is wanted, the upgrade needs a
 * migration (`cdk refactor`, or an import of the retained resource) before the pin changes.
 */
const STATEFUL_IDS: Record<string, string[]> = {
  'AWS::DynamoDB::Table': ['DataJobsTableB05F51BB'],
  'AWS::S3::Bucket': ['DataDrawingsAccessLogsAF5E0AE3', 'DataDrawingsBucket0387DDE0'],
  'AWS::SQS::Queue': ['DataProcessingDeadLetterQueue99DDB869', 'DataProcessingQueue856ABFB0'],
  'AWS::KMS::Key': [
    'DataAlertsKeyA2C22EDD',
    'DataDeploymentsKeyC5B94491',
    'DataWarningsKeyB1F44B62',
  ],
  'AWS::SNS::Topic': [
    'DataAlertsTopic34F8BE74',
    'DataDeploymentsTopic83C515CE',
    'DataWarningsTopic36601C35',
  ],
};

/** Properties that give a resource a fixed physical name. */
const NAME_PROPERTY = /Name$/;

describe('upgrades and retries', () => {
  const { templates } = synthApp();
  const stacks = Object.entries(templates).map(([name, path]) => ({
    name,
    resources: readTemplate(path).Resources as Record<
      string,
      { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }
    >,
  }));

  it.each(['dev', 'staging', 'prod'])(
    'keeps the logical id of every stateful resource of %s',
    (stage) => {
      const data = stacks.find((s) => s.name === `SecurityAssistant-${stage}-data`)!;
      for (const [type, ids] of Object.entries(STATEFUL_IDS)) {
        const found = Object.entries(data.resources)
          .filter(([, r]) => r.Type === type)
          .map(([id]) => id)
          .sort();
        expect({ type, ids: found }).toEqual({ type, ids });
      }
    },
  );

  it('puts no stateful resource outside the data stacks', () => {
    for (const { name, resources } of stacks.filter((s) => !s.name.endsWith('-data'))) {
      const stateful = Object.entries(resources).filter(([, r]) => r.Type in STATEFUL_IDS);
      expect({ name, stateful }).toEqual({ name, stateful: [] });
    }
  });

  it('leaves no resource with a fixed name behind a rolled-back create, so a retry succeeds', () => {
    // `Retain` keeps a resource even when the create that made it rolls back; the next deploy
    // then fails on its name ("already exists"). `RetainExceptOnCreate` does not.
    const blockers = stacks.flatMap(({ name, resources }) =>
      Object.entries(resources)
        .filter(([, r]) => r.DeletionPolicy === 'Retain')
        .filter(([, r]) => Object.keys(r.Properties ?? {}).some((p) => NAME_PROPERTY.test(p)))
        .map(([id, r]) => `${name}/${id} (${r.Type})`),
    );
    expect(blockers).toEqual([]);
    const kept = stacks.flatMap(({ resources }) =>
      Object.values(resources).filter((r) => r.DeletionPolicy === 'RetainExceptOnCreate'),
    );
    // the prod and staging data, and every stage's log groups and versions
    expect(kept.length).toBeGreaterThan(20);
  });
});
