/* Tells the host page how tall this embed is, so its <iframe> can fit it (see the snippet). */
(function () {
  function send() {
    var height = document.documentElement.scrollHeight;
    if (window.parent !== window) window.parent.postMessage({ icpEmbedHeight: height, icpEmbed: location.pathname }, "*");
  }
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.body);
})();
