// Enhances the question page; every page works without it.
// 1. Autosave: each choice is POSTed in the background to the question's own address,
//    so a closed tab loses nothing. The reply says only whether it was saved.
// 2. Countdown: counts down to the server's deadline (the server decides; this only shows it).
// 3. Focus: the page opens on the question's heading (autofocus); this moves focus on to
//    its chosen input, else its first, so answering starts at once.
// 4. Evidence pick: the sentences become the thing to click. Their radio buttons stay (only
//    out of sight), so a click on a sentence, which is the button's label, checks it, the
//    arrow keys move between sentences, and the form posts the same positions.
(function () {
  "use strict";

  var answerForm = document.getElementById("answer-form");
  var prompt = document.getElementById("prompt");
  function focusQuestion() {
    if (!answerForm || (document.activeElement !== document.body && document.activeElement !== prompt)) return;
    var input = answerForm.querySelector("input[name=choice]:checked:not(:disabled)")
      || answerForm.querySelector("input[name=choice]:not(:disabled), .match select:not(:disabled)");
    if (input) input.focus();
  }
  focusQuestion();
  // After the browser's own autofocus (run when it first renders the page).
  if (window.requestAnimationFrame) window.requestAnimationFrame(focusQuestion);

  document.querySelectorAll("[data-evidence-pick]").forEach(function (text) {
    text.classList.add("is-enhanced");
    var hint = document.querySelector(".pick-js-hint");
    if (hint) hint.hidden = false;
  });

  var form = document.querySelector("form[data-autosave]");
  var status = document.querySelector("[data-save-status]");
  var counter = document.querySelector("[data-answered-count]");
  var progress = document.querySelector("[data-progress]");

  function say(text, kind) {
    if (!status) return;
    status.textContent = text;
    status.className = "save-status" + (kind ? " " + kind : "");
  }

  if (form && window.fetch && window.FormData) {
    // One save at a time, in order: the last choice is the one that stays.
    var queue = Promise.resolve();
    var inFlight = 0;
    // The answer as the last successful background save sent it: when the form posts the
    // same, it says so ("autosaved"), and the server, having checked, writes nothing.
    var savedState = null;
    var state = function (data) {
      var params = new URLSearchParams(data || new FormData(form));
      ["go", "csrfmiddlewaretoken", "autosaved"].forEach(function (name) { params.delete(name); });
      return params.toString();
    };
    var hint = function () {
      var old = form.querySelector("input[name=autosaved]");
      if (old) old.remove();
      if (savedState === null || state() !== savedState) return;
      var flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "autosaved";
      flag.value = "1";
      form.appendChild(flag);
    };
    // An answered question's page opens with its saved answer chosen (and says so).
    if (status && status.textContent.trim()) savedState = state();
    var post = function (data) {
      var sent = state(data);
      return fetch(form.action || window.location.href, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (body) { return { status: response.status, body: body }; });
        })
        .then(function (reply) {
          if (reply.body.redirect) { window.location.assign(reply.body.redirect); return; }
          savedState = reply.body.saved ? sent : null;
          if (reply.body.saved) {
            say("✓ Your answer is saved.", "saved");
            if (counter) counter.textContent = reply.body.answered;
            if (progress) progress.value = reply.body.answered;
          } else if (reply.body.error) {
            say("⚠ Not saved: " + reply.body.error, "error");
          } else if (reply.body.note) {
            say(reply.body.note);
          } else {
            say("");
          }
        })
        .catch(function () {
          savedState = null;
          say("⚠ Not saved yet: the connection failed. Your answer is saved when you move on.", "error");
        });
    };
    form.addEventListener("change", function () {
      var data = new FormData(form);
      data.delete("go");
      say("Saving…", "saving");
      inFlight += 1;
      queue = queue.then(function () { return post(data); }).then(function () { inFlight -= 1; });
    });
    // Moving on while a background save is under way: let it finish first, so the two
    // requests never race; the button's own post then saves the final answer.
    form.addEventListener("submit", function (event) {
      if (!inFlight) { hint(); return; }
      event.preventDefault();
      var go = event.submitter && event.submitter.name === "go" ? event.submitter.value : "";
      queue.then(function () {
        if (go) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = "go";
          hidden.value = go;
          form.appendChild(hidden);
        }
        hint();
        form.submit();
      });
    });
  }

  var timer = document.querySelector("[data-timer]");
  if (timer) {
    var remaining = parseInt(timer.dataset.remaining, 10);
    var shown = timer.querySelector("[data-countdown]");
    var announce = timer.querySelector("[data-timer-announce]");
    if (!isNaN(remaining) && shown) {
      // Count from the server's figure, not the client's clock, which may be wrong.
      var end = Date.now() + remaining * 1000;
      var announced = {};
      shown.hidden = false;
      var tick = function () {
        var left = Math.max(0, Math.round((end - Date.now()) / 1000));
        var m = Math.floor(left / 60), s = left % 60;
        shown.textContent = "Time left: " + m + ":" + (s < 10 ? "0" : "") + s;
        timer.classList.toggle("low", left <= 60);
        [300, 60].forEach(function (mark) {
          if (left <= mark && left > mark - 5 && !announced[mark]) {
            announced[mark] = true;
            announce.textContent = (mark / 60) + " minute" + (mark > 60 ? "s" : "") + " left.";
          }
        });
        if (left <= 0) {
          clearInterval(handle);
          announce.textContent = "Time is up.";
          window.location.assign(timer.dataset.expireUrl);
        }
      };
      var handle = setInterval(tick, 1000);
      tick();
    }
  }
})();
