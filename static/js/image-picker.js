// The editor's "Browse…" window (django-prose-editor speaks CKEditor's picker
// protocol): clicking a picture hands its URL, id, alt text and caption back.
document.addEventListener("click", (event) => {
  const choice = event.target.closest(".picker-choice");
  const grid = document.querySelector(".picker-grid");
  if (!choice || !grid || !window.opener || !window.opener.CKEDITOR) return;
  window.opener.CKEDITOR.tools.callFunction(Number(grid.dataset.funcNum), choice.dataset.url, {
    id: choice.dataset.id,
    alternative_text: choice.dataset.alt,
    caption: choice.dataset.caption,
  });
  window.close();
});
