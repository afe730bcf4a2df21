// The share block's "Copy link" button (templates/includes/share.html). Without this script
// the page's address is still there, in a read-only field to select and copy; the button
// stays hidden. Loaded from the site itself: the Content-Security-Policy allows 'self'.
for (const block of document.querySelectorAll(".share-copy")) {
  const field = block.querySelector("input");
  const button = block.querySelector("button");
  const status = block.querySelector("[role=status]");
  field.addEventListener("focus", () => field.select());
  button.addEventListener("click", async () => {
    field.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch {
      copied = document.execCommand("copy");
    }
    status.textContent = copied ? button.dataset.copied : "";
  });
  button.hidden = false;
}
