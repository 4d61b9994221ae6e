// Selects that depend on another select of the same form: a select with
// data-narrowed-by="<the other select's name>" offers only the options whose data-parent is
// the value chosen there (options without data-parent, such as the empty choice, always stay).
// With nothing chosen there, every option is offered, as without scripts; the server checks
// the pair either way. Options are rebuilt from a copy rather than hidden, since some
// browsers still offer hidden options.
(function () {
  "use strict";

  function kept(option, chosen) {
    return !chosen || !option.dataset.parent || option.dataset.parent === chosen;
  }

  function setup(select) {
    const parent = select.form && select.form.elements.namedItem(select.dataset.narrowedBy);
    if (!parent) {
      return;
    }
    const original = Array.from(select.children, function (node) {
      return node.cloneNode(true);
    });
    const note = document.createElement("p");
    note.className = "help narrowed-none";
    note.id = select.id + "_none";
    note.hidden = true;
    note.setAttribute("aria-live", "polite");
    select.insertAdjacentElement("afterend", note);

    function narrow() {
      const chosen = parent.value;
      const current = select.value;
      let offered = 0;
      select.replaceChildren();
      for (const node of original) {
        if (node.tagName === "OPTGROUP") {
          const members = Array.from(node.children).filter(function (option) {
            return kept(option, chosen);
          });
          if (members.length) {
            const group = node.cloneNode(false);
            for (const option of members) {
              group.appendChild(option.cloneNode(true));
            }
            select.appendChild(group);
            offered += members.length;
          }
        } else if (kept(node, chosen)) {
          select.appendChild(node.cloneNode(true));
          offered += node.value ? 1 : 0;
        }
      }
      // The choice stays when it still fits; otherwise nothing is chosen.
      select.value = current;
      if (select.value !== current) {
        select.value = "";
      }
      const none = Boolean(chosen) && offered === 0;
      note.hidden = !none;
      note.textContent = none ? select.dataset.noneText || "" : "";
      const described = (select.getAttribute("aria-describedby") || "")
        .split(" ")
        .filter(function (id) {
          return id && id !== note.id;
        });
      if (none) {
        described.push(note.id);
      }
      if (described.length) {
        select.setAttribute("aria-describedby", described.join(" "));
      } else {
        select.removeAttribute("aria-describedby");
      }
    }

    parent.addEventListener("change", narrow);
    narrow();
  }

  function setupAll() {
    for (const select of document.querySelectorAll("select[data-narrowed-by]")) {
      setup(select);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupAll);
  } else {
    setupAll();
  }
})();
