/**
 * An EventBridge schema registry with one schema per event type (events/schemas.ts, the zod contracts also exported
 * to events/json/), so consumers find the contracts beside the bus: in the console, with `aws schemas
 * describe-schema`, or as code bindings. Schemas are JSON Schema draft 4 (`JSONSchemaDraft4`) of the whole event,
 * named `<source>@<detail-type>` as EventBridge's schema discovery names them.
 *
 * AWS::EventSchemas::Registry and ::Schema are in CloudFormation's resource specification for cn-north-1 and
 * cn-northwest-1 as for the commercial regions (checked with cfn-lint 1.51's per-region specs; README), so the
 * registry is created in every partition.
 */
import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import { registrySchemaName, registrySchemaOf } from '../events/json-schemas.js';
import { EVENT_SCHEMAS, type EventType } from '../events/schemas.js';

export interface EventSchemaRegistryProps {
  stage: string;
}

export class EventSchemaRegistry extends Construct {
  readonly registryName: string;

  constructor(scope: Construct, id: string, props: EventSchemaRegistryProps) {
    super(scope, id);
    const registry = new CfnRegistry(this, 'Registry', {
      registryName: `hotline-${props.stage}`,
      description: `Hotline integration (${props.stage}): the contracts of the events on the bus hotline-${props.stage}`,
    });
    this.registryName = registry.attrRegistryName;
    for (const type of Object.keys(EVENT_SCHEMAS) as EventType[]) {
      new CfnSchema(this, type.replace('.', ''), {
        registryName: registry.attrRegistryName,
        schemaName: registrySchemaName(type),
        type: 'JSONSchemaDraft4',
        description: `${type} (events/json/${type}.json)`,
        content: JSON.stringify(registrySchemaOf(type)),
      });
    }
  }
}
