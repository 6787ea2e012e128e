// Switches the evidence marks on and off in place. Without JavaScript the same form
// reloads the page; either way the choice is remembered on the server.
(function () {
  "use strict";
  var form = document.querySelector("[data-marks-toggle]");
  var reading = document.querySelector("[data-marks]");
  if (!form || !reading || !window.fetch) return;
  var input = form.querySelector("input[name=marks]");
  var button = form.querySelector("button");
  var status = form.querySelector("[data-marks-status]");

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = input.value;
    var body = new FormData(form); // the CSRF token and the choice, as the form would send them
    var on = value === "on";
    reading.classList.toggle("marks-on", on);
    reading.classList.toggle("marks-off", !on);
    input.value = on ? "off" : "on";
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? button.dataset.labelOn : button.dataset.labelOff;
    status.textContent = on ? "Source marks shown." : "Source marks hidden.";
    fetch(form.action, {
      method: "POST",
      body: body,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).catch(function () { /* the page still works; the choice is not remembered */ });
  });
})();
