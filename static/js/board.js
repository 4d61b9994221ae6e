// The board's drag and drop: a card dropped on another column (or moved with its
// "Move to…" form) is moved at once, then the server decides. A refusal or a conflict puts
// the card back where it was, with the server's words in an alert inside the card.
(function () {
  "use strict";

  const board = document.querySelector("[data-board][data-can-edit='true']");
  if (!board) {
    return;
  }

  // The stage machine as the server knows it: labels, allowed moves, and the question
  // asked for each move ("from>to") that needs a note.
  const machineData = document.getElementById("board-stages");
  const machine = machineData ? JSON.parse(machineData.textContent) : {};
  const labels = machine.labels || {};
  const transitions = machine.transitions || {};
  const notes = machine.notes || {};
  const status = board.querySelector("[data-board-status]");
  const dialog = document.getElementById("note-dialog");
  const lang = document.documentElement.lang || "fi";
  // The same shape as the server's "1 234,50 €": number in the page's locale, then the sign.
  const number = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  let dragged = null;

  function text(key, values) {
    let result = board.dataset["msg" + key] || "";
    for (const [name, value] of Object.entries(values || {})) {
      result = result.split("{" + name + "}").join(value);
    }
    return result;
  }

  function announce(message) {
    if (status) {
      status.textContent = "";
      // A fresh text node, so screen readers announce the same message twice in a row too.
      window.setTimeout(() => { status.textContent = message; }, 50);
    }
  }

  function csrfToken() {
    const input = board.querySelector("input[name='csrfmiddlewaretoken']");
    if (input && input.value) {
      return input.value;
    }
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Money in cents, so adding and subtracting budgets never drifts.
  function cents(value) {
    const parsed = Number.parseFloat(value || "0");
    return Number.isFinite(parsed) ? Math.round(parsed * 100) : 0;
  }

  function columnOf(element) {
    return element.closest("[data-drop-target]");
  }

  function columnFor(stage) {
    return board.querySelector("[data-drop-target][data-stage='" + stage + "']");
  }

  function adjustColumn(column, card, sign) {
    const count = column.querySelector("[data-count]");
    count.textContent = String(Number.parseInt(count.textContent, 10) + sign);
    const total = cents(column.dataset.budget) + sign * cents(card.dataset.budget);
    column.dataset.budget = (total / 100).toFixed(2);
    column.querySelector("[data-sum]").textContent = number.format(total / 100) + "\u00a0€";
    const list = column.querySelector(".column-cards");
    column.querySelector("[data-empty]").hidden = list.children.length > 0;
  }

  function clearAlert(card) {
    const old = card.querySelector(".card-alert");
    if (old) {
      old.remove();
    }
  }

  function showAlert(card, lines, offerReload) {
    clearAlert(card);
    const alert = document.createElement("div");
    alert.className = "card-alert";
    alert.setAttribute("role", "alert");
    alert.tabIndex = -1;
    const list = document.createElement("ul");
    for (const line of lines) {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    alert.append(list);
    if (offerReload) {
      const reload = document.createElement("a");
      reload.href = window.location.href;
      reload.className = "card-alert-reload";
      reload.textContent = text("Reload");
      alert.append(reload);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "card-alert-close";
    close.setAttribute("aria-label", text("Dismiss"));
    close.textContent = "×";
    close.addEventListener("click", () => {
      alert.remove();
      const link = card.querySelector(".card-title a");
      if (link) {
        link.focus();
      }
    });
    alert.append(close);
    card.querySelector(".card-title").after(alert);
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
    alert.focus({ preventScroll: true });
  }

  // A refused move opens a dialog beside the board: every unmet condition on a line of its
  // own, wide enough to read, each with a link to where it is put right.
  const refusalDialog = document.getElementById("refusal-dialog");

  function showRefusal(card, toStage, data) {
    if (!refusalDialog || typeof refusalDialog.showModal !== "function") {
      return false;
    }
    const fixes = Array.isArray(data.fixes) && data.fixes.length
      ? data.fixes
      : data.reasons.map((reason) => ({ reason: reason, url: "", label: "" }));
    refusalDialog.querySelector("#refusal-dialog-title").textContent =
      text("Refused", { title: card.dataset.title, stage: labels[toStage] || toStage });
    const list = refusalDialog.querySelector(".refusal-reasons");
    list.replaceChildren();
    for (const fix of fixes) {
      const item = document.createElement("li");
      const reason = document.createElement("span");
      reason.textContent = fix.reason;
      item.append(reason);
      if (fix.url) {
        const link = document.createElement("a");
        link.href = fix.url;
        link.textContent = fix.label;
        item.append(" ", link);
      }
      list.append(item);
    }
    refusalDialog.addEventListener("close", function onClose() {
      refusalDialog.removeEventListener("close", onClose);
      const link = card.querySelector(".card-title a");
      if (link) {
        link.focus();
      }
    });
    refusalDialog.showModal();
    return true;
  }

  function showMoveLink(card, stage) {
    const link = card.querySelector("[data-move]");
    if (link) {
      link.hidden = (transitions[stage] || []).length === 0;
    }
  }

  function needsNote(fromStage, toStage) {
    return Object.hasOwn(notes, fromStage + ">" + toStage);
  }

  function moveUrl(card) {
    return board.dataset.moveUrl.replace("/0/", "/" + card.dataset.ideaId + "/");
  }

  function askNote(card, fromStage, toStage) {
    return new Promise((resolve) => {
      if (!dialog || typeof dialog.showModal !== "function") {
        resolve(null);
        return;
      }
      const input = dialog.querySelector("textarea");
      dialog.querySelector("#note-dialog-title").textContent = notes[fromStage + ">" + toStage];
      dialog.querySelector("#note-dialog-text").textContent =
        text("NoteFor", { title: card.dataset.title, stage: labels[toStage] || toStage });
      input.value = "";
      dialog.returnValue = "";
      dialog.addEventListener("close", function onClose() {
        dialog.removeEventListener("close", onClose);
        const note = input.value.trim();
        resolve(dialog.returnValue === "ok" && note ? note : null);
      });
      dialog.showModal();
      input.focus();
    });
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch (error) {
      return null;
    }
  }

  async function moveCard(card, toStage, givenNote) {
    const fromStage = card.dataset.stage;
    const source = columnFor(fromStage);
    const target = columnFor(toStage);
    if (!target || !source || fromStage === toStage || card.classList.contains("is-saving")) {
      return false;
    }
    let note = (givenNote || "").trim();
    if (!note && needsNote(fromStage, toStage)) {
      note = await askNote(card, fromStage, toStage);
      if (note === null) {
        card.querySelector(".card-title a").focus();
        return false;
      }
    }

    clearAlert(card);
    const home = { list: card.parentElement, next: card.nextElementSibling };
    target.querySelector(".column-cards").prepend(card);
    adjustColumn(source, card, -1);
    adjustColumn(target, card, +1);
    card.classList.add("is-saving");
    card.setAttribute("aria-busy", "true");

    const putBack = () => {
      const next = home.next && home.next.parentElement === home.list ? home.next : null;
      home.list.insertBefore(card, next);
      adjustColumn(target, card, -1);
      adjustColumn(source, card, +1);
    };

    const body = new FormData();
    body.append("to_stage", toStage);
    body.append("expected_stage", fromStage);
    body.append("note", note);
    let response = null;
    try {
      response = await fetch(moveUrl(card), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      });
    } catch (error) {
      response = null;
    } finally {
      card.classList.remove("is-saving");
      card.removeAttribute("aria-busy");
    }

    const data = response ? await readJson(response) : null;
    if (response && response.ok && data && data.stage) {
      card.dataset.stage = data.stage;
      if (data.stage !== toStage) {
        // The server has the last word on where the idea is.
        adjustColumn(target, card, -1);
        const actual = columnFor(data.stage);
        actual.querySelector(".column-cards").prepend(card);
        adjustColumn(actual, card, +1);
      }
      const days = card.querySelector("[data-days]");
      if (days) {
        days.textContent = text("Days0");
      }
      // A move starts a new stay: the card is no longer stalled.
      const stalled = card.querySelector("[data-stalled]");
      if (stalled) {
        stalled.remove();
      }
      card.classList.remove("is-stalled");
      showMoveLink(card, data.stage);
      announce(text("Moved", { title: card.dataset.title, stage: data.stage_label || labels[data.stage] }));
      return true;
    }

    putBack();
    if (response && response.status === 409 && data) {
      showAlert(card, [data.message || text("Failed")], true);
    } else if (response && response.status === 400 && data && Array.isArray(data.reasons)) {
      if (!showRefusal(card, toStage, data)) {
        showAlert(card, data.reasons.length ? data.reasons : [text("Failed")], false);
      }
    } else if (response && response.status === 403) {
      showAlert(card, [text("Forbidden")], false);
    } else if (response && response.status === 404) {
      showAlert(card, [text("Gone")], true);
    } else {
      showAlert(card, [text("Failed")], false);
    }
    announce(text("Returned", { title: card.dataset.title }));
    return false;
  }

  // Drag and drop ------------------------------------------------------------------------

  board.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest(".card[draggable='true']");
    if (!card) {
      return;
    }
    if (card.classList.contains("is-saving")) {
      event.preventDefault();
      return;
    }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.ideaId);
    card.classList.add("is-dragging");
    board.classList.add("is-dragging");
  });

  function endDrag() {
    for (const element of board.querySelectorAll(".is-dragging, .is-drop-target")) {
      element.classList.remove("is-dragging", "is-drop-target");
    }
    board.classList.remove("is-dragging");
    dragged = null;
  }

  // Chromium skips dragend when the dragged card has been moved in the drop handler, so
  // the drop cleans up too.
  board.addEventListener("dragend", endDrag);

  board.addEventListener("dragover", (event) => {
    const column = columnOf(event.target);
    if (!dragged || !column || column.dataset.stage === dragged.dataset.stage) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("is-drop-target");
  });

  board.addEventListener("dragleave", (event) => {
    const column = columnOf(event.target);
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("is-drop-target");
    }
  });

  board.addEventListener("drop", (event) => {
    const column = columnOf(event.target);
    if (!dragged || !column) {
      return;
    }
    event.preventDefault();
    const card = dragged;
    endDrag();
    moveCard(card, column.dataset.stage, "");
  });

  // "Move to…" on a card: the same move without a mouse, through one shared dialog.
  const moveDialog = document.getElementById("move-dialog");
  const moveStage = moveDialog && moveDialog.querySelector("[name='to_stage']");
  const moveNote = moveDialog && moveDialog.querySelector("[name='note']");
  let movingCard = null;

  function noteNeeded() {
    moveNote.required = needsNote(movingCard.dataset.stage, moveStage.value);
  }

  if (moveDialog && typeof moveDialog.showModal === "function") {
    moveStage.addEventListener("change", noteNeeded);

    board.addEventListener("click", (event) => {
      const link = event.target.closest && event.target.closest("[data-move]");
      const card = link && link.closest(".card[data-idea-id]");
      if (!card || card.classList.contains("is-saving")) {
        return;
      }
      event.preventDefault();
      movingCard = card;
      const next = transitions[card.dataset.stage] || [];
      moveStage.replaceChildren(...next.map((value) => new Option(labels[value] || value, value)));
      moveNote.value = "";
      noteNeeded();
      moveDialog.querySelector("#move-dialog-title").textContent =
        text("MoveTitle", { title: card.dataset.title });
      moveDialog.returnValue = "";
      moveDialog.showModal();
      moveStage.focus();
    });

    moveDialog.addEventListener("close", () => {
      const card = movingCard;
      movingCard = null;
      if (!card) {
        return;
      }
      if (moveDialog.returnValue !== "move") {
        card.querySelector("[data-move]").focus();
        return;
      }
      moveCard(card, moveStage.value, moveNote.value).then((moved) => {
        if (moved) {
          card.querySelector(".card-title a").focus();
        }
      });
    });
  }
})();
