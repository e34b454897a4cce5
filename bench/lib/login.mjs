// Logs a bench user in to Cordon and gives the session token, completing the TOTP second
// factor that the city-wide roles (admin, commander, epidemiologist, auditor) must use
// (security.md D4) like a person with an authenticator app:
//
//   POST /api/v1/session {username, password}
//     -> {token, user}                                      (no second factor)
//     -> {mfa: "required", challenge}                       (enrolled)
//     -> {mfa: "enroll", challenge, secret, otpauth_uri}    (not yet enrolled: a new secret)
//   POST /api/v1/session/mfa {challenge, code}  -> {token, user}
//
// Codes are RFC 6238 (HMAC-SHA1, 6 digits, 30 s steps, base32 secret); the server accepts the
// step before, the current one and the next, and each step only once per user (a step at or
// below the last used one is refused). So each user's secret and last used step are kept
// (in a JSON file for login(), or in memory with the exported pieces), and a login of the same
// user again takes a step not yet used, waiting for the next 30 s step when needed.
//
//   import { login } from '../lib/login.mjs'
//   const token = await login('http://127.0.0.1:18080', 'admin', password, dir + '/totp.json')
//
//   node bench/lib/login.mjs URL USER PASSWORD SECRETS_FILE     (prints the token)
//
// Node's standard library only (Node 18+: global fetch).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const kStepMs = 30_000;

function base32Bytes(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out = [];
  let buffer = 0;
  let bits = 0;
  for (const c of text.toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) continue;  // padding, spaces
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// The 6-digit code of a base32 secret at a time step (what an authenticator app shows).
export function totpCode(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32Bytes(secret)).update(counter).digest();
  const offset = mac[19] & 0x0f;
  const value = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) |
    mac[offset + 3];
  return String(value % 1_000_000).padStart(6, '0');
}

// The step the next code of a user should use, and how long to wait before sending it, for
// entry = {secret, last} (last: the last step used, 0 when none). The oldest accepted step is
// the one before the current, but only while the server's clock stays in this step (10 s of
// margin); the newest is the next one, usable at once. Does not change the entry.
export function planTotpStep(entry, nowMs = Date.now()) {
  const current = Math.floor(nowMs / kStepMs);
  const oldest = nowMs % kStepMs < 20_000 ? current - 1 : current;
  const step = Math.max((entry.last || 0) + 1, oldest);
  // Step s is accepted once the server's current step is s - 1 (200 ms of margin).
  const waitMs = Math.max(0, (step - 1) * kStepMs + 200 - nowMs);
  return { step, waitMs };
}

// Takes the next step for the entry (marks it used), waits until the server accepts it, and
// gives the code.
export async function nextTotpCode(entry, log = () => {}) {
  const { step, waitMs } = planTotpStep(entry);
  entry.last = step;
  if (waitMs > 0) {
    log(`waiting ${Math.ceil(waitMs / 1000)} s for a fresh TOTP step`);
    await new Promise((r) => setTimeout(r, waitMs));
  }
  return totpCode(entry.secret, step);
}

// The file of secrets: {"username": {"secret": "...", "last": step}}, written atomically.
function readSecrets(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if (e.code === 'ENOENT') return {};
    throw new Error(`${file}: ${e.message}`);
  }
}
function writeSecrets(file, secrets) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

async function postJson(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

// Logs in and gives the session token; the TOTP secret of a user who enrols here and the steps
// used are kept in secretsFile. Throws on any refusal, with the server's answer.
export async function login(baseURL, username, password, secretsFile,
  { log = (m) => process.stderr.write(`[login] ${m}\n`) } = {}) {
  const base = baseURL.replace(/\/+$/, '');
  const first = await postJson(base + '/api/v1/session', { username, password });
  if (first.status !== 200 || !first.json) {
    throw new Error(`login ${username}: HTTP ${first.status} ${first.text}`);
  }
  if (!first.json.mfa) {
    if (!first.json.token) throw new Error(`login ${username}: no token in ${first.text}`);
    return first.json.token;
  }
  const secrets = readSecrets(secretsFile);
  if (first.json.mfa === 'enroll') {
    secrets[username] = { secret: first.json.secret, last: 0 };
  } else if (!secrets[username]) {
    throw new Error(`login ${username}: TOTP is enrolled, but ${secretsFile} has no secret for ` +
      'this user (enrolled elsewhere; an administrator can reset it: DELETE /api/v1/users/{id}/mfa)');
  }
  const entry = secrets[username];
  const { step, waitMs } = planTotpStep(entry);
  entry.last = step;
  writeSecrets(secretsFile, secrets);  // the step is spent, whatever the answer
  if (waitMs > 0) {
    log(`waiting ${Math.ceil(waitMs / 1000)} s for a fresh TOTP step for ${username}`);
    await new Promise((r) => setTimeout(r, waitMs));
  }
  const second = await postJson(base + '/api/v1/session/mfa',
    { challenge: first.json.challenge, code: totpCode(entry.secret, step) });
  if (second.status !== 200 || !second.json || !second.json.token) {
    throw new Error(`login ${username}, TOTP step: HTTP ${second.status} ${second.text}`);
  }
  return second.json.token;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [url, user, password, file] = process.argv.slice(2);
  if (!url || !user || password === undefined || !file) {
    process.stderr.write('usage: node login.mjs URL USER PASSWORD SECRETS_FILE\n');
    process.exit(2);
  }
  login(url, user, password, file).then((token) => {
    process.stdout.write(token + '\n');
  }, (e) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  });
}
