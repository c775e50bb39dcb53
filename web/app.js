// Upload a file to the local FER server, follow its processing, draw the result. Strings from the server or
// a file name reach the DOM only as text nodes or attributes, never through HTML parsing.

const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
// A dash pattern per emotion, so the chart's lines can be told apart without their colour.
// Happy, the commonest, is the one solid line.
const DASHES = { angry: '12 3 2 3', disgust: '9 4', fear: '2 3', sad: '5 5', surprise: '1 4', neutral: '14 3 2 3 2 3' };
// For file.type, empty when the browser does not know the extension; the server still judges the type.
const TYPES_BY_EXTENSION = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', bmp: 'image/bmp',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', avi: 'video/x-msvideo', mkv: 'video/x-matroska',
};
const POLL_INTERVAL_MS = 500;
const POLL_GIVE_UP_MS = 10 * 60 * 1000;
const RECENT_REFRESH_MS = 3000;
const FRAME_PAGE_SIZE = 500; // the most the frames route returns at once
const MAX_FRAME_ROWS = 500; // longer tables slow the page without helping anyone read them

const [dropZone, fileInput, statusLine, errorBox, resultSection, resultHeading, resultBody, recentList, recentError] =
  ['drop-zone', 'file-input', 'status', 'error', 'result', 'result-heading', 'result-body', 'recent', 'recent-error'].map((id) => document.getElementById(id));

// ---- DOM helpers: append() turns strings into text nodes, so nothing here is parsed as HTML.

const el = (tag, attributes = {}, ...children) => build(document.createElement(tag), attributes, children);
const svg = (tag, attributes, ...children) => build(document.createElementNS('http://www.w3.org/2000/svg', tag), attributes, children);

function build(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) if (value != null) node.setAttribute(name, value);
  node.append(...children.flat(Infinity).filter((child) => child != null));
  return node;
}

const emotionName = (label) => (label ? label[0].toUpperCase() + label.slice(1) : '—');
// Only known labels become class names; anything else gets the grey "unknown" colour.
const emotionClass = (label) => `e-${EMOTIONS.includes(label) ? label : 'unknown'}`;
const round = Math.round;
const percent = (p) => `${round((Number(p) || 0) * 100)}%`;
const clampedPercent = (value) => `${Math.min(Math.max(value, 0), 1) * 100 || 0}%`;
const seconds = (ms) => `${((Number(ms) || 0) / 1000).toFixed(2)} s`;
const swatch = (label) => el('span', { class: `swatch ${emotionClass(label)}`, 'aria-hidden': 'true' });

const bar = (label, p) =>
  el('span', { class: 'bar', 'aria-hidden': 'true' }, el('span', { class: emotionClass(label), style: `width: ${clampedPercent(p)}` }));

// ---- API

const apiError = (code, message, status = 0) => Object.assign(new Error(message), { code, status });

/** fetch, where a refused connection becomes an error naming the server that could not be reached. */
async function reach(url, options, code, whom) {
  try {
    return await fetch(url, options);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw apiError(code, `Cannot reach ${whom} (${error.message}).`);
  }
}

async function api(path, { method = 'GET', body, signal } = {}) {
  const init = { method, signal, headers: body && { 'content-type': 'application/json' }, body: body && JSON.stringify(body) };
  const response = await reach(path, init, 'NetworkError', 'the server');
  const payload = await response.json().catch(() => undefined);
  if (!response.ok) {
    throw apiError(payload?.error?.code ?? 'HttpError', payload?.error?.message ?? `${method} ${path} answered ${response.status}`, response.status);
  }
  if (payload === undefined) throw apiError('InvalidResponse', `${method} ${path} did not answer JSON`, response.status);
  return payload;
}

async function sendToUploadUrl(upload, file, contentType, signal) {
  const init = { method: upload.method ?? 'PUT', headers: { 'content-type': contentType, ...upload.headers }, body: file, signal };
  const response = await reach(upload.uploadUrl, init, 'UploadFailed', 'the storage server');
  if (!response.ok) throw apiError('UploadFailed', `The storage server refused the file (${response.status} ${response.statusText}).`, response.status);
}

async function fetchAllFrames(mediaId, signal) {
  const frames = [];
  let cursor;
  do {
    const query = new URLSearchParams({ limit: FRAME_PAGE_SIZE, ...(cursor && { cursor }) });
    const page = await api(`/v1/media/${encodeURIComponent(mediaId)}/frames?${query}`, { signal });
    frames.push(...page.frames);
    cursor = page.frames.length ? page.nextCursor : undefined; // an empty page must not loop for ever
  } while (cursor);
  return frames.sort((a, b) => a.index - b.index);
}

// ---- Following one medium at a time

// Each upload or Recent media click aborts the previous job: a stale poll must never overwrite the screen.
let currentJob;
const previews = new Map(); // mediaId → object URL of an image uploaded from this tab

async function startJob(status, task) {
  currentJob?.abort();
  const { signal } = (currentJob = new AbortController());
  resultSection.hidden = true;
  resultBody.replaceChildren();
  showError();
  setStatus(status);
  try {
    await task(signal);
  } catch (error) {
    if (signal.aborted) return;
    setStatus('Failed');
    showError(error);
    if (!error.code) console.error(error); // a bug here, not an answer from the server
  }
}

const uploadAndFollow = (file) => startJob('Uploading…', async (signal) => {
  const contentType = file.type || TYPES_BY_EXTENSION[file.name.split('.').pop().toLowerCase()] || 'application/octet-stream';
  const upload = await api('/v1/media', { method: 'POST', body: { filename: file.name, contentType, size: file.size }, signal });
  await sendToUploadUrl(upload, file, contentType, signal);
  // The API has no download route: the picture can only be shown from the file picked here.
  if (contentType.startsWith('image/')) previews.set(upload.mediaId, URL.createObjectURL(file));
  refreshRecent();
  await follow(upload.mediaId, signal);
});

const openMedia = (mediaId) => startJob('Loading…', (signal) => follow(mediaId, signal));

async function follow(mediaId, signal) {
  const giveUpAt = Date.now() + POLL_GIVE_UP_MS;
  let media;
  for (;;) {
    try {
      media = await api(`/v1/media/${encodeURIComponent(mediaId)}`, { signal });
      showError();
      setStatus(describeStatus(media));
    } catch (error) {
      // A server that restarts should not end the wait; one that refuses the request (4xx) does.
      if (signal.aborted || (error.status >= 400 && error.status < 500)) throw error;
      showError(error, ' Retrying…');
    }
    if (media?.status === 'COMPLETED' || media?.status === 'FAILED') {
      refreshRecent(); // rather than list it stale for up to 3 s
      if (media.status === 'FAILED') return showError(media.error ?? { code: 'ProcessingFailed', message: 'No reason was given.' });
      return media.result?.mediaType === 'video' ? showVideo(media, signal) : showImage(media);
    }
    if (Date.now() >= giveUpAt) {
      return setStatus('Stopped waiting after 10 minutes; pick it in Recent media to look again.');
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    signal.throwIfAborted();
  }
}

function describeStatus({ status, progress }) {
  if (status === 'PROCESSING' && progress) return `Processing (${progress.framesDone}/${progress.totalFrames} frames)`;
  return { PENDING: 'Pending', PROCESSING: 'Processing', COMPLETED: 'Completed', FAILED: 'Failed' }[status] ?? String(status);
}

function setStatus(text) {
  // Writing the same text again would make some screen readers repeat it.
  if (statusLine.textContent !== text) statusLine.textContent = text;
}

/** Shows `{code, message}`, from the API or a media's error; without one, clears the box. */
function showError(error, suffix = '') {
  errorBox.replaceChildren(...(error ? [
    el('code', { class: 'error-code', 'data-testid': 'error-code' }, String(error.code ?? error.name)),
    ' ',
    el('span', { 'data-testid': 'error-message' }, `${error.message ?? ''}${suffix}`),
  ] : []));
}

function showResult(media, ...parts) {
  resultHeading.textContent = `Result: ${media.filename ?? media.mediaId}`;
  resultBody.replaceChildren(...parts.flat());
  resultSection.hidden = false;
}

// ---- Images

const faceLabel = (face, i) => `${i + 1}: ${emotionName(face.dominantEmotion)} ${percent(face.confidence)}`;

function showImage(media) {
  const { result } = media;
  const { faces } = result;
  const preview = previews.get(media.mediaId);
  showResult(media,
    preview ? imageWithBoxes(preview, result, media.filename) : el('p', { class: 'note' }, 'The picture is only shown in the tab that uploaded it.'),
    faces.length
      ? el('div', { class: 'faces' }, faces.map((face, i) =>
        emotionTable(`Face ${faceLabel(face, i)}`, [{ heading: 'Probability', scores: face.emotions }], face.dominantEmotion)))
      : el('p', { 'data-testid': 'no-face' }, 'No face detected'),
    modelLine(result));
}

function imageWithBoxes(src, result, filename) {
  const stage = el('div', { class: 'stage' }, el('img', { src, width: result.width, height: result.height, alt: `${filename}, faces marked` }));
  result.faces.forEach((face, i) => {
    const { x, y, width, height } = face.boxRatio;
    // The tables below say the same to screen readers; the boxes are for the eyes.
    const box = el('div', { class: `face-box ${emotionClass(face.dominantEmotion)}`, 'aria-hidden': 'true' },
      el('span', { class: y < 0.1 ? 'face-label below' : 'face-label', 'data-testid': 'face-label' }, faceLabel(face, i)));
    Object.assign(box.style, { left: clampedPercent(x), top: clampedPercent(y), width: clampedPercent(width), height: clampedPercent(height) });
    stage.append(box);
  });
  return el('figure', {}, stage);
}

/** A row per emotion: a bar for the eye and the percent as text, which carries the value. */
function emotionTable(caption, columns, dominant) {
  return el('table', { 'data-testid': 'emotion-table' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Emotion'), columns.map((c) => el('th', { scope: 'col' }, c.heading)))),
    el('tbody', {}, EMOTIONS.map((label) => el('tr', { class: label === dominant ? 'dominant' : undefined },
      el('th', { scope: 'row' }, swatch(label), emotionName(label)),
      columns.map((c) => el('td', {}, bar(label, c.scores?.[label]), el('span', { class: 'num' }, percent(c.scores?.[label]))))))));
}

function modelLine({ model = {}, timingsMs = {}, width, height }) {
  return el('p', { class: 'note', 'data-testid': 'model' },
    `Model ${model.id} (${model.profile}), ${width}×${height} px, total ${round(timingsMs.total)} ms`);
}

// ---- Videos

async function showVideo(media, signal) {
  const { result } = media;
  const s = result.summary ?? {};
  const facts = {
    Duration: seconds(result.durationMs),
    'Sampling rate': `${result.sampledFps} fps`,
    'Frames analysed': s.framesAnalyzed,
    'Frames with faces': s.framesWithFaces,
    'Faces detected': s.facesDetected,
    'Dominant emotion': s.dominantEmotion ? emotionName(s.dominantEmotion) : 'None (no face seen)',
  };
  const framesSlot = el('div');
  showResult(media,
    el('dl', { class: 'summary', 'data-testid': 'video-summary' },
      Object.entries(facts).map(([term, value]) => el('div', {}, el('dt', {}, term), el('dd', {}, String(value))))),
    emotionTable('Emotions over the whole video',
      [{ heading: 'Share of faces', scores: s.emotionShare }, { heading: 'Mean probability', scores: s.meanEmotions }], s.dominantEmotion),
    framesSlot,
    modelLine(result));
  try {
    const frames = await fetchAllFrames(media.mediaId, signal);
    framesSlot.replaceChildren(emotionChart(frames, result.durationMs), framesTable(frames, s.smoothedEmotions ?? []));
  } catch (error) {
    if (signal.aborted) return;
    // The analysis succeeded, so the status stays Completed; only the per-frame detail is missing.
    framesSlot.replaceChildren(el('p', {}, 'The frames could not be loaded.'));
    showError(error);
  }
}

// The chart's own coordinates; the SVG scales to the page width.
const W = 640, H = 240, LEFT = 36, RIGHT = 12, TOP = 10, BOTTOM = 34;

/** The main face's (faces[0], the largest) probabilities over time; faceless frames break the lines. */
function emotionChart(frames, durationMs) {
  const endMs = frames.reduce((end, f) => Math.max(end, f.timestampMs), Number(durationMs) || 0) || 1;
  const x = (ms) => (LEFT + (ms / endMs) * (W - LEFT - RIGHT)).toFixed(1);
  const y = (p) => (TOP + (1 - (Number(p) || 0)) * (H - TOP - BOTTOM)).toFixed(1);
  const text = (atX, atY, content, anchor = 'middle') => svg('text', { x: atX, y: atY, 'text-anchor': anchor }, content);
  const step = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 600].find((s) => endMs / 1000 / s <= 8) ?? 3600;
  const ticks = [];
  for (let t = 0; t * 1000 <= endMs + 1e-6; t += step) ticks.push(text(x(t * 1000), H - BOTTOM + 14, `${+t.toFixed(2)}`));

  const lines = EMOTIONS.map((label) => {
    const runs = [[]];
    for (const { faces, timestampMs } of frames) {
      if (faces?.length) runs.at(-1).push(`${x(timestampMs)},${y(faces[0].emotions?.[label])}`);
      else if (runs.at(-1).length) runs.push([]);
    }
    // A lone point still shows, as a zero-length line with round caps.
    return svg('g', { class: emotionClass(label) }, runs.filter((run) => run.length).map((run) =>
      svg('polyline', { points: (run.length === 1 ? [run[0], run[0]] : run).join(' '), 'stroke-dasharray': DASHES[label] })));
  });

  return el('figure', {},
    svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': describeChart(frames, endMs), 'data-testid': 'emotion-chart' },
      [0, 0.25, 0.5, 0.75, 1].map((p) => [
        svg('line', { class: 'grid', x1: LEFT, x2: W - RIGHT, y1: y(p), y2: y(p) }),
        text(LEFT - 6, +y(p) + 4, percent(p), 'end'),
      ]),
      ticks,
      text(LEFT + (W - LEFT - RIGHT) / 2, H - 4, 'time (s)'),
      lines),
    el('ul', { class: 'legend' }, EMOTIONS.map((label) => el('li', {},
      svg('svg', { class: emotionClass(label), viewBox: '0 0 30 10', 'aria-hidden': 'true' },
        svg('line', { x1: 2, x2: 28, y1: 5, y2: 5, 'stroke-dasharray': DASHES[label] })),
      emotionName(label)))));
}

function describeChart(frames, endMs) {
  const withFace = frames.filter((f) => f.faces?.length);
  const mean = (label) => withFace.reduce((sum, f) => sum + (Number(f.faces[0].emotions?.[label]) || 0), 0) / withFace.length;
  const [top] = EMOTIONS.map((label) => [label, mean(label)]).sort((a, b) => b[1] - a[1]);
  return `Emotions of the main face over ${seconds(endMs)}; ${withFace.length} of ${frames.length} frames have a face`
    + (withFace.length ? `. Highest on average: ${emotionName(top[0])}, ${percent(top[1])}.` : '.');
}

function framesTable(frames, smoothedEmotions) {
  // Evenly spaced rows keep the whole video in view when there are too many frames to list.
  const stride = Math.ceil(frames.length / MAX_FRAME_ROWS) || 1;
  const shown = frames.filter((_, i) => i % stride === 0);
  const caption = stride === 1 ? `Frames (${frames.length})` : `Frames: ${shown.length} of ${frames.length}, one in ${stride}`;
  const emotionCell = (label, confidence) =>
    el('td', {}, label ? [swatch(label), emotionName(label), confidence === undefined ? '' : ` ${percent(confidence)}`] : '—');
  // Focusable, so that the scrolling box can be scrolled from the keyboard.
  return el('div', { class: 'scroll', role: 'region', 'aria-label': caption, tabindex: 0 },
    el('table', { 'data-testid': 'frames-table' },
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, ['Time', 'Faces', 'Dominant (main face)', 'Smoothed'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, shown.map(({ index, timestampMs, faces = [] }) => el('tr', {},
        el('td', {}, seconds(timestampMs)),
        el('td', {}, String(faces.length)),
        emotionCell(faces[0]?.dominantEmotion, faces[0]?.confidence),
        emotionCell(smoothedEmotions[index]))))));
}

// ---- Recent media

let recentButtons = new Map(); // mediaId → button, reused so that focus and clicks survive a refresh
const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

function relativeTime(iso) {
  // Clamped at now: a server clock slightly ahead should not read "in 2 seconds".
  const ago = Math.max((Date.now() - Date.parse(iso)) / 1000, 0);
  const [unit, size] = [['day', 86400], ['hour', 3600], ['minute', 60]].find(([, s]) => ago >= s) ?? ['second', 1];
  return Number.isNaN(ago) ? '' : relativeFormat.format(-round(ago / size), unit);
}

async function refreshRecent() {
  try {
    showRecent((await api('/v1/media?limit=20')).media);
    recentError.replaceChildren();
  } catch (error) {
    recentError.textContent = `Recent media unavailable: ${error.message}`;
  }
}

function showRecent(mediaList) {
  const buttons = new Map();
  for (const media of mediaList) {
    const button = recentButtons.get(media.mediaId) ?? el('button', { type: 'button', class: 'recent-item', 'data-testid': 'recent-item' });
    button.onclick = () => openMedia(media.mediaId);
    button.replaceChildren(
      el('b', {}, media.filename),
      el('span', { class: 'note' },
        `${media.mediaType} · ${describeStatus(media)}`,
        media.error ? [' ', el('code', { class: 'error-code' }, media.error.code)] : [],
        ` · ${relativeTime(media.createdAt)}`));
    buttons.set(media.mediaId, button);
  }
  recentButtons = buttons;
  const items = [...buttons.values()].map((button) => button.parentElement ?? el('li', {}, button));
  if (!items.length) items.push(el('li', { class: 'note' }, 'Nothing uploaded yet.'));
  // Re-inserting a node blurs it, so the list is rebuilt only when its order changed.
  if (items.length !== recentList.children.length || items.some((item, i) => recentList.children[i] !== item)) {
    const focused = document.activeElement;
    recentList.replaceChildren(...items);
    if (focused?.isConnected) focused.focus();
  }
}

async function refreshRecentForever() {
  await refreshRecent();
  setTimeout(refreshRecentForever, RECENT_REFRESH_MS);
}

// ---- Wiring

fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  fileInput.value = ''; // so that choosing the same file again is a change too
  if (file) uploadAndFollow(file);
});
for (const type of ['dragover', 'dragleave', 'drop']) {
  dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    dropZone.classList.toggle('dragging', type === 'dragover');
    const file = type === 'drop' && event.dataTransfer.files[0];
    if (file) uploadAndFollow(file);
  });
}
// A file dropped beside the zone would otherwise make the browser leave the page to open it.
for (const type of ['dragover', 'drop']) window.addEventListener(type, (event) => event.preventDefault());

refreshRecentForever();
