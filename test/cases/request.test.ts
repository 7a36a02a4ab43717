/** The action body schemas come from the transition table: required there means required in the body, once. */
import { describe, expect, it } from 'vitest';
import { deployedRules } from '../../functions/config/deployed.js';
import { bodySchemas } from '../../functions/cases/request.js';
import { ALL_ACTIONS, rulesOf } from '../../functions/domain/lifecycle/transitions.js';
import { BODIES } from './support.js';

const schemas = bodySchemas(deployedRules.policy);

describe('action body schemas', () => {
  it.each(ALL_ACTIONS)('%s: requires exactly the fields every rule of the table requires', (action) => {
    const valid = BODIES[action];
    expect(schemas[action].safeParse(valid).success).toBe(true);
    const required = new Set(rulesOf(action).flatMap((r) => r.requires));
    for (const field of Object.keys(valid).filter((k) => k !== 'note')) {
      const { [field]: _, ...without } = valid as Record<string, unknown>;
      const r = schemas[action].safeParse(without);
      expect(r.success, `${action} without ${field}`).toBe(!required.has(field as never));
    }
  });

  it('refuses unknown fields and keeps note optional for every action', () => {
    for (const action of ALL_ACTIONS) {
      expect(schemas[action].safeParse({ ...BODIES[action], person: '张三' }).success).toBe(false);
      expect(schemas[action].safeParse({ ...BODIES[action], note: '备注' }).success).toBe(true);
    }
  });

  it('takes reopen’s reason as optional, because its row accepts it', () => {
    expect(schemas.reopen.safeParse({}).success).toBe(true);
    expect(schemas.reopen.safeParse({ reason: '回访不满意' }).success).toBe(true);
    expect(schemas.close.safeParse({ reason: 'x' }).success).toBe(false);
  });
});
