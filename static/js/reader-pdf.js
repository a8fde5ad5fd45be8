/* The offline reader's PDF view (issue 18): PDF.js (static/vendor/pdfjs-4.10.38) draws each page
 * with its text layer, so text can be selected for a note and notes are highlighted on it.
 * The file is fetched like any other, so a kept paper opens with no network. No eval
 * (isEvalSupported: false), no inline script: it runs under a strict Content Security Policy. */
const box = document.querySelector('[data-pdf]');

async function show() {
  const status = box.querySelector('[data-pdf-status]');
  const pages = box.querySelector('[data-pdf-pages]');
  try {
    const pdfjs = await import(box.dataset.pdfjs);
    pdfjs.GlobalWorkerOptions.workerSrc = box.dataset.pdfjsWorker;
    const response = await fetch(box.dataset.pdfUrl, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`status ${response.status}`);
    const data = new Uint8Array(await response.arrayBuffer());
    const doc = await pdfjs.getDocument({ data, isEvalSupported: false, enableXfa: false }).promise;
    const width = Math.max(320, pages.clientWidth || 640);
    const ratio = window.devicePixelRatio || 1;
    for (let n = 1; n <= doc.numPages; n += 1) {
      const page = await doc.getPage(n);
      const natural = page.getViewport({ scale: 1 });
      const scale = Math.min(2, (width - 2) / natural.width);
      const viewport = page.getViewport({ scale });
      const section = document.createElement('section');
      section.className = 'app-pdf-page';
      section.id = `page-${n}`;
      section.dataset.page = String(n);
      section.setAttribute('aria-label', `Page ${n}`);
      section.style.setProperty('--scale-factor', String(scale));
      section.style.width = `${Math.floor(viewport.width)}px`;
      section.style.height = `${Math.floor(viewport.height)}px`;
      const canvas = document.createElement('canvas');
      canvas.setAttribute('aria-hidden', 'true');
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${Math.floor(viewport.width)}px`;
      canvas.style.height = `${Math.floor(viewport.height)}px`;
      const text = document.createElement('div');
      text.className = 'textLayer';
      section.append(canvas, text);
      pages.append(section);
      await page.render({
        canvasContext: canvas.getContext('2d'),
        viewport,
        transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
      }).promise;
      const layer = new pdfjs.TextLayer({
        textContentSource: page.streamTextContent(),
        container: text,
        viewport,
      });
      await layer.render();
    }
    // PDF.js measures text on a canvas it adds to <body>: keep it inside the page's landmarks.
    document.querySelectorAll('body > .hiddenCanvasElement').forEach((c) => {
      c.setAttribute('aria-hidden', 'true');
      box.append(c);
    });
    status.textContent = `${doc.numPages} page${doc.numPages === 1 ? '' : 's'}. Select text to add a note.`;
    pages.dataset.ready = 'yes';
    document.dispatchEvent(new CustomEvent('reader:text-ready'));
    if (location.hash) {
      const target = document.getElementById(location.hash.slice(1));
      if (target) target.scrollIntoView();
    }
  } catch (error) {
    status.textContent = 'The PDF cannot be shown here. Use the download link instead.';
  }
}

if (box) show();
