// Drives the sandbox with node-zendesk, a Zendesk client feedbackloop did not write, through the calls
// feedbackloop makes. Prints one JSON line per call: {"call", "ok", "result" | "error"}.
// Usage: node drive.js '{"endpointUri": "http://127.0.0.1:PORT/api/v2", "username": "...", "token": "...",
//                         "ticketIds": [1, 2, 3], "webhookUrl": "http://...", "startTime": 1700000000}'
'use strict';

const zendesk = require('node-zendesk');

const config = JSON.parse(process.argv[2]);
const client = zendesk.createClient({
  username: config.username,
  token: config.token,
  endpointUri: config.endpointUri,
  throttle: false,
});

function summary(value) {
  // The answers are printed whole, so the test can check what node-zendesk made of them.
  return value === undefined ? null : value;
}

async function step(name, call) {
  try {
    const result = await call();
    process.stdout.write(JSON.stringify({call: name, ok: true, result: summary(result)}) + '\n');
    return result;
  } catch (error) {
    const detail = {message: String(error && error.message), statusCode: error && error.statusCode};
    process.stdout.write(JSON.stringify({call: name, ok: false, error: detail}) + '\n');
    return undefined;
  }
}

async function main() {
  const [first, second, third] = config.ticketIds;
  const shown = await step('tickets.show', () => client.tickets.show(first));
  const stamp = shown && shown.result ? shown.result.updated_at : undefined;
  await step('tickets.update', () => client.tickets.update(first, {ticket: {
    comment: {body: 'How did we do? (node-zendesk)', public: true},
    tags: ['csat_sent', 'node'],
    safe_update: true,
    updated_stamp: stamp,
  }}));
  await step('tickets.getComments', () => client.tickets.getComments(first));
  const job = await step('tickets.updateMany', () => client.tickets.updateMany([second, third], {ticket: {
    additional_tags: ['csat_5', 'csat_good'],
    remove_tags: ['csat_1'],
    comment: {body: 'Customer feedback: 5/5', public: false},
  }}));
  const jobId = job && job.result && job.result.job_status ? job.result.job_status.id
    : job && job.result ? job.result.id : undefined;
  for (let poll = 0; poll < 5 && jobId; poll++) {
    const status = await step('jobstatuses.show', () => client.jobstatuses.show(jobId));
    const state = status && status.result ? (status.result.status || (status.result.job_status || {}).status) : null;
    if (state === 'completed') break;
  }
  await step('ticketexport.exportCursor', () => client.ticketexport.exportCursor(config.startTime));
  const hook = await step('webhooks.create', () => client.webhooks.create({webhook: {
    name: 'node-zendesk: ticket events', status: 'active', endpoint: config.webhookUrl, http_method: 'POST',
    request_format: 'json', subscriptions: ['zen:event-type:ticket.status_changed'],
  }}));
  const hookId = hook && hook.result ? (hook.result.webhook || hook.result).id : undefined;
  await step('webhooks.list', () => client.webhooks.list());
  await step('webhooks.show', () => client.webhooks.show(hookId));
  await step('webhooks.update', () => client.webhooks.update(hookId, {webhook: {
    name: 'node-zendesk: ticket events (renamed)', status: 'active', endpoint: config.webhookUrl,
    http_method: 'POST', request_format: 'json', subscriptions: ['zen:event-type:ticket.status_changed'],
  }}));
  await step('webhooks.getSigningSecret', () => client.webhooks.getSigningSecret(hookId));
  await step('webhooks.listInvocations', () => client.webhooks.listInvocations(hookId));
  const trigger = await step('triggers.create', () => client.triggers.create({trigger: {
    title: 'node-zendesk: ticket solved', active: true,
    all: [{field: 'status', operator: 'value', value: 'solved'}],
    actions: [{field: 'notification_webhook', value: [hookId, '{"ticket_id": "{{ticket.id}}"}']}],
  }}));
  const triggerId = trigger && trigger.result ? (trigger.result.trigger || trigger.result).id : undefined;
  await step('triggers.list', () => client.triggers.list());
  await step('triggers.update', () => client.triggers.update(triggerId, {trigger: {
    title: 'node-zendesk: ticket solved (renamed)'}}));
  await step('triggers.delete', () => client.triggers.delete(triggerId));
  await step('webhooks.delete', () => client.webhooks.delete(hookId));
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({call: 'main', ok: false, error: {message: String(error)}}) + '\n');
  process.exitCode = 1;
});
