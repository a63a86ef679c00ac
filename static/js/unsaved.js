// Nothing typed is lost (issue 13 §1). Progressive enhancement only: the pages work without it.
//
// - A form marked `data-unsaved-warning` that has changes not yet sent asks before the page
//   is left (beforeunload). Submitting the form (any of its buttons) is not leaving.
// - A form marked `data-autosave-url` posts its fields there every 30 seconds while it has
//   changes not yet autosaved. The answer carries the new `lock_version`, which the form
//   takes over; a conflict (409) stops the autosave and says so: saving by hand then shows
//   the comparison with what the other person saved.
(() => {
  "use strict";
  const INTERVAL_MS = 30000;

  for (const form of document.querySelectorAll("form[data-unsaved-warning]")) {
    let dirty = false; // changed since the page loaded or since the last save
    let changedSinceAutosave = false;
    let stopped = false;
    const fields = () => [...form.elements];
    const mark = () => {
      dirty = true;
      changedSinceAutosave = true;
    };
    // Fields that belong to the form through their `form` attribute sit outside it.
    document.addEventListener("input", (event) => {
      if (fields().includes(event.target)) mark();
    });
    document.addEventListener("change", (event) => {
      if (fields().includes(event.target)) mark();
    });
    form.addEventListener("submit", () => {
      dirty = false;
    });
    window.addEventListener("beforeunload", (event) => {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });

    const url = form.dataset.autosaveUrl;
    const status = form.querySelector("#autosave-status");
    if (!url) continue;
    window.setInterval(async () => {
      if (stopped || !changedSinceAutosave) return;
      changedSinceAutosave = false;
      let response;
      try {
        response = await fetch(url, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
      } catch {
        changedSinceAutosave = true; // offline: try again next time
        return;
      }
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        const lock = form.querySelector("input[name=lock_version]");
        if (lock && answer.lock_version !== undefined) lock.value = answer.lock_version;
        if (answer.saved && !changedSinceAutosave) dirty = false;
        if (status && answer.message) status.textContent = answer.message;
        return;
      }
      if (response.status === 409) stopped = true;
      if (status && answer.message) {
        status.textContent = answer.message;
        status.classList.add("text-danger");
      }
    }, INTERVAL_MS);
  }
})();
