/* A character counter under every long text field with a limit (a title of 200 characters,
   a narrative of 4000): "12 / 200", read out politely by screen readers as it changes. The
   server checks the limit all the same; without scripts the browser's maxlength still stops
   typing at the limit. */
(function () {
  "use strict";

  // Short fields (a postcode, a reference) need no counter.
  var MIN_LIMIT = 200;

  function length(value) {
    // Characters as the server counts them (code points), not UTF-16 units.
    return Array.from(value).length;
  }

  function attach(field) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!(limit >= MIN_LIMIT) || field.readOnly || field.disabled || !field.id) {
      return;
    }
    var counter = document.createElement("p");
    counter.className = "char-count";
    counter.id = field.id + "_count";
    counter.setAttribute("aria-live", "polite");
    var describedBy = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", describedBy ? describedBy + " " + counter.id : counter.id);

    function show() {
      var used = length(field.value);
      counter.textContent = used + " / " + limit;
      counter.classList.toggle("char-count-full", used >= limit);
    }

    field.insertAdjacentElement("afterend", counter);
    show();
    // A polite live region: screen readers say the latest count when the reader pauses.
    field.addEventListener("input", show);
  }

  function setup() {
    var fields = document.querySelectorAll("input[maxlength], textarea[maxlength]");
    for (var i = 0; i < fields.length; i += 1) {
      attach(fields[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();

/* A submit button with data-busy-text says so while a slow page is being made (a report takes
   many seconds) and takes no second click: the form is sent once. The server's own guards
   against a second send stay. */
(function () {
  "use strict";

  function setup() {
    var buttons = document.querySelectorAll("button[type=submit][data-busy-text]");
    for (var i = 0; i < buttons.length; i += 1) {
      (function (button) {
        var form = button.form;
        var label = button.textContent;
        if (!form) {
          return;
        }
        form.addEventListener("submit", function (event) {
          if (form.getAttribute("aria-busy") === "true") {
            event.preventDefault();
            return;
          }
          form.setAttribute("aria-busy", "true");
          // Disabled only after this send has taken the button's value along.
          window.setTimeout(function () {
            button.disabled = true;
            button.textContent = button.getAttribute("data-busy-text");
          }, 0);
        });
        // Back to the page from the browser's history: usable again.
        window.addEventListener("pageshow", function () {
          form.removeAttribute("aria-busy");
          button.disabled = false;
          button.textContent = label;
        });
      })(buttons[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();

/* A form's error summary (templates/_form_errors.html) takes the focus when the page opens,
   so it is read first; each of its links puts the focus in its field, not only the view. */
(function () {
  "use strict";

  function setup() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-field]");
      var field = link && document.getElementById(link.dataset.field);
      if (!field) {
        return;
      }
      event.preventDefault();
      // A group of checkboxes or radios is named by its wrapper: the focus goes to its first.
      var target = field.matches("input, select, textarea")
        ? field
        : field.querySelector("input, select, textarea") || field;
      target.scrollIntoView({ block: "center" });
      target.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
