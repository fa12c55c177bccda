// Announces new messages to screen readers through a polite live region.

const KEEP = 3;

export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  const line = document.createElement('p');
  line.textContent = text;
  region.append(line);
  while (region.childElementCount > KEEP) region.firstElementChild.remove();
}
