// The messages of the last action are announced (WCAG 4.1.3): a live region's content that is
// there when the page loads is not read out, so the messages are taken out of the region
// (templates/includes/messages.html) and put back once the page has settled. Progressive
// enhancement only: without this script they are shown all the same.
(() => {
  "use strict";
  const region = document.getElementById("messages");
  if (!region || !region.children.length) return;
  const items = [...region.children];
  region.replaceChildren();
  window.setTimeout(() => region.replaceChildren(...items), 300);
})();
