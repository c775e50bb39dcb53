import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/engine/paths.js';
import { sample, tempDir } from '../helpers/fixtures.js';
import { startServe, type RunningServer } from '../helpers/serve.js';

/** Screenshots land here (git-ignored) for a human to look at. */
const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts');

describe('the fer serve page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServe(tempDir('fer-page-'));
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('uploads a photo and shows each face boxed and labelled', async () => {
    await page.getByTestId('file-input').setInputFiles(sample('two_people.jpg'));

    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toMatch(/Completed/);
    const labels = await page.getByTestId('face-label').allTextContents();
    expect(labels).toHaveLength(2);
    for (const label of labels) expect(label).toMatch(/^[12]: (Angry|Disgust|Fear|Happy|Sad|Surprise|Neutral) \d+%$/);
    await page.screenshot({ path: join(ARTIFACTS, 'page-photo.png'), fullPage: true });
  });

  it('shows the error code of a bad upload, and the server keeps serving', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.jpg'), 'my shopping list, not a photo');

    await page.getByTestId('file-input').setInputFiles(join(dir, 'notes.jpg'));

    await expect.poll(() => page.getByTestId('error-code').textContent(), { timeout: 60_000 }).toBe('UnsupportedMediaType');
    expect(await page.getByTestId('status').textContent()).toMatch(/Failed/);
    await page.screenshot({ path: join(ARTIFACTS, 'page-failed.png'), fullPage: true });
    expect((await fetch(`${server.url}/v1/media`)).status).toBe(200);
  });

  it('lists recent media with their status', async () => {
    await expect.poll(async () => (await page.getByTestId('recent-list').textContent()) ?? '', { timeout: 10_000 }).toMatch(/two_people\.jpg[\s\S]*(COMPLETED|Completed)/i);
  });

  it('labels the file input for keyboard and screen-reader users', async () => {
    const input = page.getByTestId('file-input');

    expect(await input.evaluate((el: HTMLInputElement) => el.labels?.length ?? 0)).toBeGreaterThan(0);
  });
});
