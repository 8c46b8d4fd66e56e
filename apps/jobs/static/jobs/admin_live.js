// Live job rows in the Django admin: follow the staff feed (/ws/jobs/) and update the status,
// stage and progress cells of the jobs listed on the page. Reconnects with backoff.
(function () {
  "use strict";

  function cell(row, field) {
    return row.querySelector("td.field-" + field + ", th.field-" + field);
  }

  function apply(event) {
    const box = document.querySelector('input.action-select[value="' + event.job_id + '"]');
    if (!box) return;
    const row = box.closest("tr");
    const status = cell(row, "status");
    // The status label in the admin's language (the /jsi18n/ catalog the page loads first).
    if (status) status.textContent = typeof window.gettext === "function" ? window.gettext(event.status) : event.status;
    const stage = cell(row, "stage_title");
    if (stage && event.stage) {
      stage.textContent = typeof window.pgettext === "function" ? window.pgettext("stage", event.stage) : event.stage;
    }
    const bar = row.querySelector("td.field-progress_bar progress");
    if (bar) {
      bar.value = event.progress;
      bar.setAttribute("aria-valuenow", String(event.progress));
      if (bar.nextSibling) bar.nextSibling.textContent = " " + Math.round(event.progress) + "%";
    }
    row.dataset.jobSeq = String(event.seq);
  }

  let delay = 1000;

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(scheme + "://" + window.location.host + "/ws/jobs/");
    socket.onopen = function () { delay = 1000; document.body.dataset.jobsLive = "open"; };
    socket.onmessage = function (message) {
      let frame;
      try { frame = JSON.parse(message.data); } catch (err) { return; }
      if (frame.type === "event") apply(frame);
    };
    socket.onclose = function () {
      document.body.dataset.jobsLive = "closed";
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("input.action-select")) connect();
  });
})();
