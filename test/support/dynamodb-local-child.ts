/**
 * A node process that starts DynamoDB Local and then just lives, with no signal handlers of its own: what the
 * process-hygiene test kills. Prints `{"port"}` on one line once DynamoDB Local answers.
 */
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';

const ddb = await startDynamoDbLocal();
console.log(JSON.stringify({ port: ddb.port }));
setInterval(() => {}, 60_000);
