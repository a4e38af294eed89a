import { Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp, environments } from '../src';
import { readTemplate, synthApp } from './support/synth';

describe('the app', () => {
  const { app, templates } = synthApp();

  it('has exactly one stack per environment', () => {
    expect(Object.keys(templates).sort()).toEqual([
      'SecurityAssistant-dev',
      'SecurityAssistant-prod',
      'SecurityAssistant-staging',
    ]);
  });

  it('names no account and no region: the stacks are environment-agnostic offline', () => {
    for (const stack of app.node.children.filter(Stack.isStack)) {
      expect(Token.isUnresolved(stack.account)).toBe(true);
      expect(Token.isUnresolved(stack.region)).toBe(true);
    }
    for (const path of Object.values(templates)) {
      const text = JSON.stringify(readTemplate(path));
      expect(text).not.toMatch(/\b\d{12}\b/);
      expect(text).not.toMatch(
        /\b(us|eu|ap|sa|ca|me|af|il)-(east|west|north|south|central|northeast|southeast)-\d\b/,
      );
    }
  });

  it('deploys each stage with its own stage setting', () => {
    for (const [name, path] of Object.entries(templates)) {
      const stage = name.replace('SecurityAssistant-', '');
      const resources = Object.values(readTemplate(path).Resources);
      const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function');
      const stages = functions
        .map((f) => f.Properties?.Environment?.Variables?.STAGE)
        .filter((s) => s !== undefined);
      expect(stages.length).toBeGreaterThan(0);
      expect(new Set(stages)).toEqual(new Set([stage]));
    }
  });
});

describe('environment configuration', () => {
  it('takes preset overrides from CDK context', () => {
    const app = createApp({
      context: { 'security-assistant:dev': { processorMemorySize: 2048 } },
    });
    const dev = app.node.findChild('SecurityAssistant-dev') as Stack;
    Template.fromStack(dev).hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048,
      Environment: { Variables: { STAGE: 'dev' } },
    });
  });

  it('fails with a readable error when the context overrides are not an object', () => {
    expect(() =>
      environments((key) => (key === 'security-assistant:prod' ? 'big' : undefined)),
    ).toThrow(
      /context security-assistant:prod must be an object of preset overrides \(given "big"\)/,
    );
  });
});
