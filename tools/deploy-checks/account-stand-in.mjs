// Stand-ins for the three account reads the AWS emulator (moto) does not serve: Cost
// Explorer's GetAnomalyMonitors and ListCostAllocationTags, Lambda's GetAccountSettings and
// AWS Chatbot's DescribeSlackWorkspaces. They answer from the state they are given, in the
// shape the SDK returns, and refuse any other command, so a check that starts calling
// something else fails instead of reading nothing.

/**
 * @param {{ monitors?: object[], concurrency?: { limit: number, unreserved?: number },
 *   activeTags?: string[], slackTeamIds?: string[] }} [state]
 */
export function accountStandIn(state = {}) {
  const {
    monitors = [],
    concurrency = { limit: 1000 },
    activeTags = [],
    slackTeamIds = [],
  } = state;
  const answer = (answers) => ({
    send: async (command) => {
      const name = command.constructor.name;
      if (!(name in answers)) throw new Error(`the account stand-in does not answer ${name}`);
      return answers[name](command.input);
    },
  });
  return {
    costExplorer: answer({
      GetAnomalyMonitorsCommand: () => ({ AnomalyMonitors: monitors }),
      ListCostAllocationTagsCommand: ({ TagKeys = [] }) => ({
        CostAllocationTags: TagKeys.map((TagKey) => ({
          TagKey,
          Type: 'UserDefined',
          Status: activeTags.includes(TagKey) ? 'Active' : 'Inactive',
        })),
      }),
    }),
    lambda: answer({
      GetAccountSettingsCommand: () => ({
        AccountLimit: {
          ConcurrentExecutions: concurrency.limit,
          UnreservedConcurrentExecutions: concurrency.unreserved ?? concurrency.limit,
        },
      }),
    }),
    chatbot: answer({
      DescribeSlackWorkspacesCommand: () => ({
        SlackWorkspaces: slackTeamIds.map((SlackTeamId) => ({
          SlackTeamId,
          SlackTeamName: SlackTeamId,
        })),
      }),
    }),
  };
}
