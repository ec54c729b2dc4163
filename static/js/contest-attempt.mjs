// The attempt page: a countdown from the server's remaining seconds (the deadline is the server's; the
// browser's clock is never used for it), answers saved as the person goes, and the form sent at zero.
// Without this script the page is a plain form that the person submits.
const form = document.querySelector("[data-contest-attempt]");
if (form) {
  const clock = document.querySelector("[data-countdown]");
  const status = document.querySelector("[data-save-status]");
  const remaining = Math.max(0, Number(form.dataset.remaining) || 0);
  const end = performance.now() + remaining * 1000;
  let sent = false;

  const show = (text) => {
    if (status) status.textContent = text;
  };

  const send = () => {
    if (sent) return;
    sent = true;
    form.dataset.state = "submitting";
    const prediction = form.querySelector("[name=prediction]");
    if (prediction && !prediction.checkValidity()) prediction.value = ""; // never block the automatic send
    show(form.dataset.textSubmitting);
    form.submit(); // no submit event, no browser validation: the time is up
  };

  const tick = () => {
    const left = Math.max(0, end - performance.now());
    const seconds = Math.ceil(left / 1000);
    clock.textContent = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
    if (left <= 0) {
      send();
      return;
    }
    setTimeout(tick, left % 1000 || 1000);
  };
  tick();

  form.addEventListener("submit", () => {
    sent = true;
    form.dataset.state = "submitting";
  });

  // Autosave: the whole set of answers each time (idempotent), one request at a time, the latest wins.
  const answers = () => {
    const result = {};
    for (const input of form.querySelectorAll("input[name^=q]")) {
      const id = input.name.slice(1);
      result[id] ??= [];
      if (input.checked) result[id].push(Number(input.value));
    }
    return result;
  };
  let saving = false;
  let again = false;
  const save = async () => {
    if (sent || !form.dataset.token) return;
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    show(form.dataset.textSaving);
    try {
      const response = await fetch(form.dataset.answersUrl, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${form.dataset.token}` },
        body: JSON.stringify({ answers: answers() }),
        credentials: "same-origin",
      });
      show(response.ok ? form.dataset.textSaved : form.dataset.textUnsaved);
    } catch {
      show(form.dataset.textUnsaved);
    } finally {
      saving = false;
      if (again) {
        again = false;
        save();
      }
    }
  };
  form.addEventListener("change", (event) => {
    if (event.target.name && event.target.name.startsWith("q")) save();
  });
}
