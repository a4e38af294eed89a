import {
  ConfigError,
  createLogger,
  loadConfig,
  withDeploymentProbe,
} from '@security-assistant/layer-common';
import { getSecureParameter } from '@security-assistant/layer-common/parameters';
import type { SNSEvent } from 'aws-lambda';
import { slackText } from './slack-message';

const config = loadConfig(['stage', 'serviceVersion']);
const logger = createLogger('notifier');
const webhookParameter = process.env.SLACK_WEBHOOK_PARAMETER;
/** Slack's webhook answers within seconds; a hang must not use the whole invocation. */
const POST_TIMEOUT_MS = 10_000;

/**
 * Posts each notification of the alerts, warnings and deployments topics to a Slack incoming
 * webhook, whose URL is an SSM SecureString (read through Powertools Parameters, cached). A
 * refused post fails the invocation, so Lambda retries the (asynchronous) SNS delivery.
 */
export const handler = withDeploymentProbe('notifier', async (event: SNSEvent): Promise<void> => {
  if (!webhookParameter) {
    throw new ConfigError(
      'SLACK_WEBHOOK_PARAMETER must name the SSM SecureString holding the Slack webhook URL',
    );
  }
  const url = await getSecureParameter(webhookParameter);
  for (const record of event.Records) {
    const text = slackText(record.Sns, { stage: config.stage, release: config.serviceVersion });
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    if (!answer.ok) {
      const detail = (await answer.text()).slice(0, 200);
      logger.error('Slack refused the notification', { status: answer.status, detail });
      throw new Error(`Slack answered ${answer.status}: ${detail}`);
    }
    logger.info('notification posted to Slack', {
      topic: record.Sns.TopicArn,
      message_id: record.Sns.MessageId,
    });
  }
});
