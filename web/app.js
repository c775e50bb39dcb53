// The page of the local FER server: upload a file, follow its processing, draw the result.
// No build step and no dependencies. Every string that comes from the server or from a file name reaches
// the DOM through text nodes or attributes, never through HTML parsing.

const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
// A dash pattern per emotion, so the chart's lines can be told apart without their colour.
const DASHES = { angry: '12 3 2 3', disgust: '9 4', fear: '2 3', happy: '', sad: '5 5', surprise: '1 4', neutral: '14 3 2 3 2 3' };
// Browsers leave file.type empty for extensions they do not know; the server still decides what it accepts.
const TYPES_BY_EXTENSION = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', bmp: 'image/bmp',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', avi: 'video/x-msvideo', mkv: 'video/x-matroska',
};
const POLL_INTERVAL_MS = 500;
const POLL_GIVE_UP_MS = 10 * 60 * 1000;
const RECENT_REFRESH_MS = 3000;
const FRAME_PAGE_SIZE = 500; // the most the frames route returns at once
const MAX_FRAME_ROWS = 500; // longer tables slow the page without helping anyone read them
const KEPT_PREVIEWS = 20;

const dropZone = document.querySelector('[data-testid="drop-zone"]');
const fileInput = document.querySelector('[data-testid="file-input"]');
const statusLine = document.getElementById('status');
const progressBar = document.getElementById('progress');
const errorBox = document.getElementById('error');
const resultSection = document.getElementById('result');
const resultHeading = document.getElementById('result-heading');
const resultBody = document.getElementById('result-body');
const recentList = document.getElementById('recent');
const recentError = document.getElementById('recent-error');

class ApiError extends Error {
  constructor(code, message, status, options) {
    super(message, options);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

// ---- DOM helpers: text goes in through append(), which makes text nodes, so nothing is parsed as HTML.

function el(tag, attributes = {}, ...children) {
  return build(document.createElement(tag), attributes, children);
}

function svg(tag, attributes = {}, ...children) {
  return build(document.createElementNS('http://www.w3.org/2000/svg', tag), attributes, children);
}

function build(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter((child) => child !== undefined && child !== null));
  return node;
}

const emotionName = (label) => (label ? label[0].toUpperCase() + label.slice(1) : '—');
// Only known labels become class names; anything else gets the neutral "unknown" look.
const emotionClass = (label) => `e-${EMOTIONS.includes(label) ? label : 'unknown'}`;
const percent = (p) => `${Math.round((Number(p) || 0) * 100)}%`;
const ratio = (value) => `${Math.min(Math.max(Number(value) || 0, 0), 1) * 100}%`;
const seconds = (ms) => `${((Number(ms) || 0) / 1000).toFixed(2)} s`;
const swatch = (label) => el('span', { class: `swatch ${emotionClass(label)}`, 'aria-hidden': 'true' });

function bar(label, p) {
  const fill = el('span', { class: emotionClass(label) });
  fill.style.width = ratio(p);
  return el('span', { class: 'bar', 'aria-hidden': 'true' }, fill);
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => { clearTimeout(timer); reject(signal.reason); };
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

// ---- API

async function api(path, { method = 'GET', body, signal } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('NetworkError', 'Cannot reach the server. Is it still running?', 0, { cause: error });
  }
  const payload = await response.json().catch(() => undefined);
  if (!response.ok) {
    const { code, message } = payload?.error ?? {};
    throw new ApiError(code ?? 'HttpError', message ?? `${method} ${path} answered ${response.status}`, response.status);
  }
  if (payload === undefined) throw new ApiError('InvalidResponse', `${method} ${path} did not answer JSON`, response.status);
  return payload;
}

async function sendToUploadUrl(upload, file, contentType, signal) {
  let response;
  try {
    response = await fetch(upload.uploadUrl, {
      method: upload.method ?? 'PUT',
      headers: { 'content-type': contentType, ...upload.headers },
      body: file,
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ApiError('UploadFailed', `The file could not be sent to the storage server (${error.message}).`, 0, { cause: error });
  }
  if (response.ok) return;
  // S3, and the emulator standing in for it, explain a refusal in XML: <Error><Code/><Message/></Error>.
  const xml = new DOMParser().parseFromString(await response.text().catch(() => ''), 'application/xml');
  const code = xml.querySelector('Error > Code')?.textContent;
  const message = xml.querySelector('Error > Message')?.textContent;
  throw new ApiError(code || 'UploadFailed', `The storage server answered ${response.status}${message ? `: ${message}` : '.'}`, response.status);
}

async function fetchAllFrames(mediaId, signal) {
  const frames = [];
  let cursor;
  do {
    const query = new URLSearchParams({ limit: String(FRAME_PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    const page = await api(`/v1/media/${encodeURIComponent(mediaId)}/frames?${query}`, { signal });
    frames.push(...page.frames);
    // An empty page with a cursor would otherwise loop for ever.
    cursor = page.frames.length ? page.nextCursor : undefined;
  } while (cursor);
  return frames.sort((a, b) => a.index - b.index);
}

// ---- Following one medium at a time

// A new upload, or a click in Recent media, aborts the previous job so that a stale poll can never
// overwrite what is on screen.
let currentJob;
let shownMediaId;
const previews = new Map(); // mediaId → object URL of an image uploaded from this tab

function startJob(mediaId) {
  currentJob?.abort();
  currentJob = new AbortController();
  showMediaId(mediaId);
  clearResult();
  showError();
  return currentJob.signal;
}

async function uploadAndFollow(file) {
  const signal = startJob(undefined);
  setStatus('Uploading…');
  const contentType = file.type || TYPES_BY_EXTENSION[file.name.split('.').pop().toLowerCase()] || 'application/octet-stream';
  try {
    const upload = await api('/v1/media', { method: 'POST', body: { filename: file.name, contentType, size: file.size }, signal });
    showMediaId(upload.mediaId);
    await sendToUploadUrl(upload, file, contentType, signal);
    if (contentType.startsWith('image/')) rememberPreview(upload.mediaId, file);
    refreshRecent(); // list it now rather than at the next tick
    await follow(upload.mediaId, signal);
  } catch (error) {
    fail(error, signal);
  }
}

async function openMedia(mediaId) {
  const signal = startJob(mediaId);
  setStatus('Loading…');
  try {
    await follow(mediaId, signal);
  } catch (error) {
    fail(error, signal);
  }
}

function rememberPreview(mediaId, file) {
  previews.set(mediaId, URL.createObjectURL(file));
  for (const [oldId, url] of previews) {
    if (previews.size <= KEPT_PREVIEWS) break;
    if (oldId === shownMediaId) continue;
    URL.revokeObjectURL(url);
    previews.delete(oldId);
  }
}

async function follow(mediaId, signal) {
  const giveUpAt = Date.now() + POLL_GIVE_UP_MS;
  for (;;) {
    let media;
    try {
      media = await api(`/v1/media/${encodeURIComponent(mediaId)}`, { signal });
      showError();
    } catch (error) {
      // A server that restarts or hiccups should not end the wait; one that refuses the request (4xx) does.
      if (signal.aborted || (error.status >= 400 && error.status < 500)) throw error;
      showError(error, ' Retrying…');
    }
    if (media) {
      showProgress(media);
      if (media.status === 'COMPLETED' || media.status === 'FAILED') refreshRecent(); // rather than show it stale for 3 s
      if (media.status === 'COMPLETED') return showCompleted(media, signal);
      if (media.status === 'FAILED') {
        setStatus('Failed');
        showError(media.error ?? { code: 'ProcessingFailed', message: 'Processing failed without a reason.' });
        return;
      }
    }
    if (Date.now() >= giveUpAt) {
      progressBar.hidden = true;
      setStatus(`Stopped waiting after 10 minutes (${describeStatus(media ?? { status: 'no answer' })}). Pick it in Recent media to look again.`);
      return;
    }
    await sleep(POLL_INTERVAL_MS, signal);
  }
}

function fail(error, signal) {
  if (signal.aborted) return;
  setStatus('Failed');
  showError(error);
  if (!(error instanceof ApiError)) console.error(error);
}

function describeStatus(media) {
  switch (media.status) {
    case 'PENDING': return 'Pending';
    case 'PROCESSING': return media.progress ? `Processing (${media.progress.framesDone}/${media.progress.totalFrames} frames)` : 'Processing';
    case 'COMPLETED': return 'Completed';
    case 'FAILED': return 'Failed';
    default: return String(media.status);
  }
}

// ---- Status, progress and errors

function setStatus(text) {
  // Rewriting the same text would make some screen readers announce it again.
  if (statusLine.textContent !== text) statusLine.textContent = text;
}

function showProgress(media) {
  setStatus(describeStatus(media));
  const { progress } = media;
  progressBar.hidden = !(media.status === 'PROCESSING' && progress?.totalFrames > 0);
  if (!progressBar.hidden) {
    progressBar.max = progress.totalFrames;
    progressBar.value = progress.framesDone;
  }
}

/** Shows `{code, message}` (an API error or a media's error), or clears the box when called without one. */
function showError(error, suffix = '') {
  if (!error) {
    errorBox.replaceChildren();
    return;
  }
  progressBar.hidden = true;
  errorBox.replaceChildren(
    el('code', { class: 'error-code', 'data-testid': 'error-code' }, String(error.code ?? error.name ?? 'Error')),
    ' ',
    el('span', { 'data-testid': 'error-message' }, `${error.message ?? ''}${suffix}`),
  );
}

function clearResult() {
  resultSection.hidden = true;
  resultBody.replaceChildren();
  progressBar.hidden = true;
}

function showResult(media, parts) {
  resultHeading.textContent = `Result: ${media.filename ?? media.mediaId}`;
  resultBody.replaceChildren(...parts.flat());
  resultSection.hidden = false;
}

// ---- Results

async function showCompleted(media, signal) {
  setStatus('Completed');
  const { result } = media;
  if (!result) return showError({ code: 'InvalidResponse', message: 'The media is completed but has no result.' });
  if (result.mediaType === 'video') return showVideo(media, signal);
  return showImage(media);
}

function showImage(media) {
  const { result } = media;
  const faces = result.faces ?? [];
  const preview = previews.get(media.mediaId);
  showResult(media, [
    preview
      ? imageWithBoxes(preview, result, media.filename)
      : el('p', { class: 'note' }, 'The picture is only shown in the tab that uploaded it.'),
    faces.length
      ? el('div', { class: 'faces' }, faces.map((face, i) => emotionTable(`Face ${faceLabel(face, i)}, at ${boxText(face.box)}`, [{ heading: 'Probability', scores: face.emotions }], face.dominantEmotion)))
      : el('p', { class: 'no-face', 'data-testid': 'no-face' }, 'No face detected'),
    modelLine(result),
  ]);
}

const faceLabel = (face, i) => `${i + 1}: ${emotionName(face.dominantEmotion)} ${percent(face.confidence)}`;
const boxText = (box) => (box ? `x ${Math.round(box.x)}, y ${Math.round(box.y)}, ${Math.round(box.width)}×${Math.round(box.height)} px` : 'an unknown place');

function imageWithBoxes(src, result, filename) {
  const faces = result.faces ?? [];
  const stage = el('div', { class: 'stage' },
    el('img', { src, width: result.width, height: result.height, alt: `${filename}, ${faces.length} ${faces.length === 1 ? 'face' : 'faces'} marked` }));
  faces.forEach((face, i) => {
    const r = face.boxRatio ?? { x: face.box.x / result.width, y: face.box.y / result.height, width: face.box.width / result.width, height: face.box.height / result.height };
    // The table below says the same for screen readers; the boxes are for the eyes.
    const box = el('div', { class: `face-box ${emotionClass(face.dominantEmotion)}`, 'aria-hidden': 'true', 'data-testid': 'face-box' },
      el('span', { class: `face-label${r.y < 0.1 ? ' below' : ''}`, 'data-testid': 'face-label' }, faceLabel(face, i)));
    Object.assign(box.style, { left: ratio(r.x), top: ratio(r.y), width: ratio(r.width), height: ratio(r.height) });
    stage.append(box);
  });
  return el('figure', { class: 'figure' }, stage);
}

/** One row per emotion, in label order, with a bar and the percent (the text is what carries the value). */
function emotionTable(caption, columns, dominant) {
  return el('table', { class: 'emotions', 'data-testid': 'emotion-table' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Emotion'), columns.map((c) => el('th', { scope: 'col' }, c.heading)))),
    el('tbody', {}, EMOTIONS.map((label) => el('tr', { class: label === dominant ? 'dominant' : undefined },
      el('th', { scope: 'row' }, swatch(label), emotionName(label)),
      columns.map((c) => el('td', {}, bar(label, c.scores?.[label]), el('span', { class: 'num' }, percent(c.scores?.[label]))))))));
}

function modelLine(result) {
  const model = result.model ?? {};
  const total = result.timingsMs?.total;
  return el('p', { class: 'model', 'data-testid': 'model' },
    `Model ${model.id ?? 'unknown'} (${model.profile ?? 'unknown profile'}), ${result.width}×${result.height} px, `,
    `total ${total === undefined ? 'unknown' : `${Math.round(total)} ms`}`);
}

async function showVideo(media, signal) {
  const { result } = media;
  const framesSlot = el('div', { class: 'frames-slot' }, el('p', {}, 'Loading frames…'));
  showResult(media, [videoSummary(result), framesSlot, modelLine(result)]);
  try {
    const frames = await fetchAllFrames(media.mediaId, signal);
    framesSlot.replaceChildren(emotionChart(frames, result), framesTable(frames, result.summary ?? {}));
  } catch (error) {
    if (signal.aborted) return;
    // The analysis itself succeeded, so the status stays Completed; only the frame detail is missing.
    framesSlot.replaceChildren(el('p', {}, 'The frames could not be loaded.'));
    showError(error);
  }
}

function videoSummary(result) {
  const s = result.summary ?? {};
  const facts = [
    ['Duration', seconds(result.durationMs)],
    ['Sampling rate', `${result.sampledFps} fps`],
    ['Frames analysed', s.framesAnalyzed],
    ['Frames with faces', s.framesWithFaces],
    ['Faces detected', s.facesDetected],
    ['Dominant emotion', s.dominantEmotion ? emotionName(s.dominantEmotion) : 'None (no face seen)'],
  ];
  return el('div', { class: 'summary', 'data-testid': 'video-summary' },
    el('dl', {}, facts.map(([term, value]) => el('div', {}, el('dt', {}, term), el('dd', {}, String(value ?? '—'))))),
    emotionTable('Emotions over the whole video', [
      { heading: 'Share of faces', scores: s.emotionShare },
      { heading: 'Mean probability', scores: s.meanEmotions },
    ], s.dominantEmotion));
}

const CHART = { width: 640, height: 240, left: 36, right: 12, top: 10, bottom: 34 };

/** Probabilities of the main face (faces[0], the largest) over time; frames without a face break the lines. */
function emotionChart(frames, result) {
  const endMs = frames.reduce((end, f) => Math.max(end, f.timestampMs), Number(result.durationMs) || 0) || 1;
  const plotWidth = CHART.width - CHART.left - CHART.right;
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const x = (ms) => (CHART.left + (ms / endMs) * plotWidth).toFixed(1);
  const y = (p) => (CHART.top + (1 - (Number(p) || 0)) * plotHeight).toFixed(1);

  const grid = [0, 0.25, 0.5, 0.75, 1].map((p) => svg('g', { class: 'grid' },
    svg('line', { x1: CHART.left, x2: CHART.width - CHART.right, y1: y(p), y2: y(p) }),
    svg('text', { x: CHART.left - 6, y: y(p), dy: '0.32em', 'text-anchor': 'end' }, percent(p))));
  const step = niceStep(endMs / 1000);
  const ticks = [];
  for (let t = 0; t <= endMs / 1000 + 1e-9; t += step) {
    ticks.push(svg('text', { x: x(t * 1000), y: CHART.height - CHART.bottom + 14, 'text-anchor': 'middle' }, `${+t.toFixed(2)}`));
  }
  const axisTitle = svg('text', { x: CHART.left + plotWidth / 2, y: CHART.height - 4, 'text-anchor': 'middle' }, 'time (s)');

  const series = EMOTIONS.map((label) => {
    const runs = [];
    let run = [];
    for (const frame of frames) {
      const face = frame.faces?.[0];
      if (face) run.push(`${x(frame.timestampMs)},${y(face.emotions?.[label])}`);
      else if (run.length) { runs.push(run); run = []; }
    }
    if (run.length) runs.push(run);
    // A lone point still shows, as a dot: a zero-length line with round caps.
    return svg('g', { class: `series ${emotionClass(label)}`, 'data-emotion': label },
      runs.map((points) => svg('polyline', { points: (points.length === 1 ? [points[0], points[0]] : points).join(' '), 'stroke-dasharray': DASHES[label] || undefined })));
  });

  return el('figure', { class: 'chart-figure' },
    svg('svg', { class: 'chart', viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: 'img', 'aria-label': chartDescription(frames, endMs), 'data-testid': 'emotion-chart' },
      grid, ticks, axisTitle, series),
    el('figcaption', {}, el('ul', { class: 'legend', 'data-testid': 'chart-legend' }, EMOTIONS.map((label) => el('li', {},
      svg('svg', { class: `legend-line ${emotionClass(label)}`, viewBox: '0 0 30 10', 'aria-hidden': 'true' },
        svg('line', { x1: 2, x2: 28, y1: 5, y2: 5, 'stroke-dasharray': DASHES[label] || undefined })),
      emotionName(label))))));
}

function niceStep(spanSeconds) {
  for (const step of [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]) {
    if (spanSeconds / step <= 8) return step;
  }
  return Math.ceil(spanSeconds / 8 / 3600) * 3600;
}

function chartDescription(frames, endMs) {
  const withFace = frames.filter((f) => f.faces?.length);
  const span = `Line chart of the main face's emotion probabilities over ${seconds(endMs)}`;
  if (!withFace.length) return `${span}: no face was detected in any of the ${frames.length} frames.`;
  const means = EMOTIONS.map((label) => [label, withFace.reduce((sum, f) => sum + (Number(f.faces[0].emotions?.[label]) || 0), 0) / withFace.length])
    .sort((a, b) => b[1] - a[1]);
  return `${span}, ${withFace.length} of ${frames.length} frames with a face. Highest on average: `
    + `${emotionName(means[0][0])} ${percent(means[0][1])}, then ${emotionName(means[1][0])} ${percent(means[1][1])}.`;
}

function framesTable(frames, summary) {
  // Evenly spaced rows keep the whole video in view when there are too many frames to list.
  const stride = Math.ceil(frames.length / MAX_FRAME_ROWS) || 1;
  const shown = frames.filter((_, i) => i % stride === 0);
  const caption = stride === 1 ? `Frames (${frames.length})` : `Frames: ${shown.length} of ${frames.length}, one in ${stride}`;
  const emotionCell = (label, confidence) => el('td', {}, label ? [swatch(label), emotionName(label), confidence === undefined ? '' : ` ${percent(confidence)}`] : '—');
  return el('div', { class: 'table-scroll', role: 'region', 'aria-label': caption, tabindex: 0 },
    el('table', { class: 'frames', 'data-testid': 'frames-table' },
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, ['Time', 'Faces', 'Dominant (main face)', 'Smoothed'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, shown.map((frame) => {
        const face = frame.faces?.[0];
        return el('tr', {},
          el('td', {}, seconds(frame.timestampMs)),
          el('td', {}, String(frame.faces?.length ?? 0)),
          emotionCell(face?.dominantEmotion, face?.confidence),
          emotionCell(summary.smoothedEmotions?.[frame.index]));
      }))));
}

// ---- Recent media

let recentButtons = new Map(); // mediaId → its button, reused so focus and clicks survive a refresh
const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
let recentRequest = 0;

function relativeTime(iso) {
  // Clamped at "now": a server clock slightly ahead should not read "in 2 seconds".
  const secondsAgo = Math.max((Date.now() - Date.parse(iso)) / 1000, 0);
  if (!Number.isFinite(secondsAgo)) return 'at an unknown time';
  for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]]) {
    if (secondsAgo >= size) return relativeFormat.format(-Math.round(secondsAgo / size), unit);
  }
  return relativeFormat.format(-Math.round(secondsAgo), 'second');
}

async function refreshRecent() {
  const request = ++recentRequest;
  try {
    const { media } = await api('/v1/media?limit=20');
    if (request !== recentRequest) return; // a newer answer is on its way
    recentError.replaceChildren();
    showRecent(media);
  } catch (error) {
    if (request === recentRequest) recentError.textContent = `Recent media could not be loaded: ${error.message}`;
  }
}

function showRecent(mediaList) {
  const buttons = new Map();
  for (const media of mediaList) {
    let button = recentButtons.get(media.mediaId);
    if (!button) {
      button = el('button', { type: 'button', class: 'recent-item', 'data-testid': 'recent-item' });
      button.addEventListener('click', () => openMedia(media.mediaId));
    }
    button.replaceChildren(
      el('span', { class: 'recent-name' }, media.filename ?? media.mediaId),
      el('span', { class: 'recent-meta' },
        `${media.mediaType ?? 'unknown type'} · `,
        el('span', { class: `state state-${String(media.status).toLowerCase()}` }, describeStatus(media)),
        media.error?.code ? [' ', el('code', { class: 'error-code' }, media.error.code)] : [],
        ' · ',
        el('time', { datetime: media.createdAt }, relativeTime(media.createdAt))));
    buttons.set(media.mediaId, button);
  }
  recentButtons = buttons;
  const items = [...buttons.values()].map((button) => button.parentElement ?? el('li', {}, button));
  if (!items.length) items.push(el('li', { class: 'note' }, 'Nothing uploaded yet.'));
  // Re-inserting a node blurs it, so the list is only rebuilt when its order changed.
  const sameOrder = items.length === recentList.children.length && items.every((item, i) => recentList.children[i] === item);
  if (!sameOrder) {
    const focused = document.activeElement;
    recentList.replaceChildren(...items);
    if (focused?.isConnected && document.activeElement !== focused) focused.focus();
  }
  showMediaId(shownMediaId);
}

function showMediaId(mediaId) {
  shownMediaId = mediaId;
  for (const [id, button] of recentButtons) {
    if (id === mediaId) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
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

dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  event.dataTransfer.dropEffect = 'copy';
  dropZone.classList.add('dragging');
});
dropZone.addEventListener('dragleave', (event) => {
  if (!dropZone.contains(event.relatedTarget)) dropZone.classList.remove('dragging');
});
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('dragging');
  const file = event.dataTransfer?.files?.[0];
  if (file) uploadAndFollow(file);
});
// A file dropped beside the zone would otherwise make the browser leave the page to open it.
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => event.preventDefault());

refreshRecentForever();
