/* The annual calendar: the month-by-month list opens at this month. The list scrolls within
   its own box, so the page itself stays at the top; a link in the address (#month-3) or a
   reader who has already scrolled is left alone. Without this script the "Go to this month"
   link does the same. */
(function () {
  "use strict";

  function openAtThisMonth() {
    var list = document.querySelector(".month-list");
    var current = list && list.querySelector("[data-current-month]");
    if (!current || window.location.hash || list.scrollTop > 0) {
      return;
    }
    // .month-list is position: relative, so offsetTop is measured from the list's top.
    list.scrollTop = Math.max(0, current.offsetTop - 8);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openAtThisMonth);
  } else {
    openAtThisMonth();
  }
})();
