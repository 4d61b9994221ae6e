// Copy buttons beside the feed addresses. Without scripts the buttons stay hidden and the
// addresses can be selected and copied by hand.
(function () {
  "use strict";

  function setup() {
    const status = document.querySelector(".copy-status");
    for (const button of document.querySelectorAll("[data-copy]")) {
      if (!navigator.clipboard) {
        continue;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        const input = document.getElementById(button.dataset.copy);
        navigator.clipboard.writeText(input.value).then(function () {
          if (status) {
            status.textContent = status.dataset.copied;
          }
        });
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
