import type { SNSMessage } from 'aws-lambda';

/** Where a notification comes from, named in every message. */
export interface NotificationContext {
  readonly stage: string;
  readonly release: string;
}

const STATE_MARK: Record<string, string> = { ALARM: ':rotating_light:', OK: ':white_check_mark:' };

/**
 * The Slack text of one SNS notification: a CloudWatch alarm change (with a link to the
 * alarm), a failed-job alert of the dlq-processor, or a text already written for people
 * (deployment notifications, budgets). Each names the environment and the release.
 */
export function slackText(
  sns: Pick<SNSMessage, 'Subject' | 'Message' | 'TopicArn'>,
  ctx: NotificationContext,
): string {
  const body = parseJson(sns.Message);
  const where = `[${ctx.stage}, release ${ctx.release}]`;
  if (typeof body?.AlarmName === 'string') {
    const region = String(body.AlarmArn ?? sns.TopicArn ?? '').split(':')[3] || 'us-east-1';
    const state = String(body.NewStateValue ?? 'UNKNOWN');
    const link = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(body.AlarmName)}`;
    return [
      `${STATE_MARK[state] ?? ':grey_question:'} ${where} ${state}: ${body.AlarmName}`,
      String(body.NewStateReason ?? ''),
      `<${link}|Open the alarm>`,
    ]
      .filter(Boolean)
      .join('\n');
  }
  if (body && 'job_id' in body) {
    const details = Object.entries(body)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('\n');
    return `:x: ${where} ${sns.Subject ?? 'job alert'}\n${details}`;
  }
  return `${where} ${sns.Subject ? `${sns.Subject}: ` : ''}${sns.Message}`;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
