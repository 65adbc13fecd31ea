/**
 * The QA review page's keyboard shortcuts, served as /console/assets/qa-keys.js (the CSP allows
 * scripts from this origin only). One question is highlighted at a time: y / n / u answer it and
 * move on, j / ↓ and k / ↑ move between questions, Enter saves the review. Nothing fires while
 * the focus is in a text field (the note), or with Ctrl, Alt or Meta held.
 */
export const QA_KEYS_SCRIPT = `(function () {
  "use strict";
  var form = document.getElementById("qa-form");
  if (!form) return;
  var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));
  if (!questions.length) return;
  var current = 0;
  var ANSWERS = { y: "yes", n: "no", u: "unsure" };
  function show(i, focus, stay) {
    current = Math.max(0, Math.min(questions.length - 1, i));
    questions.forEach(function (q, n) {
      q.classList.toggle("focused", n === current);
      if (n === current) q.setAttribute("aria-current", "step"); else q.removeAttribute("aria-current");
    });
    if (focus) questions[current].focus({ preventScroll: !!stay });
  }
  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable) return true;
    return tag === "INPUT" && el.type !== "radio" && el.type !== "checkbox" && el.type !== "submit" && el.type !== "button";
  }
  questions.forEach(function (q, n) {
    q.addEventListener("focusin", function () { show(n, false); });
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing || typing(e.target)) return;
    var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (ANSWERS[key]) {
      var radio = questions[current].querySelector('input[type="radio"][value="' + ANSWERS[key] + '"]');
      if (!radio) return;
      e.preventDefault();
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
      show(current + 1, true);
    } else if (key === "j" || key === "ArrowDown") {
      e.preventDefault();
      show(current + 1, true);
    } else if (key === "k" || key === "ArrowUp") {
      e.preventDefault();
      show(current - 1, true);
    } else if (key === "Enter") {
      if (e.target && e.target.tagName === "BUTTON" || e.target && e.target.tagName === "A") return;
      e.preventDefault();
      form.requestSubmit();
    }
  });
  var firstOpen = questions.findIndex(function (q) { return !q.querySelector("input:checked"); });
  show(firstOpen < 0 ? 0 : firstOpen, true, true);
})();
`;
