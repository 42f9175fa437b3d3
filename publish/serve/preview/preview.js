// Replaces the pages and findings after every build the server announces (server-sent events).
"use strict";

function shown() {
  return Number(document.getElementById("sheets").dataset.generation);
}

async function refresh() {
  const response = await fetch("/sheets" + window.location.search, { cache: "no-store" });
  if (!response.ok) return;
  const scroll = window.scrollY;
  document.getElementById("sheets").outerHTML = await response.text();
  window.scrollTo(0, scroll);
}

const events = new EventSource("/events");
events.addEventListener("build", (event) => {
  if (JSON.parse(event.data).generation !== shown()) refresh();
});
