// The body editor (django-prose-editor 0.28) writes its toolbar's tooltips and its
// heading menu in English without passing them through gettext. Give them their Arabic
// names from Django's JavaScript catalogue (locale/ar/LC_MESSAGES/djangojs.po), as the
// toolbar is built and whenever it updates a title (the selected block changes it).
(function () {
  "use strict";
  const LABELS = new Set([
    "paragraph", "Paragraph", "Heading 2", "Heading 3", "heading 2", "heading 3",
    "unordered list", "ordered list", "blockquote", "figure", "bold",
    "insert link", "remove link", "undo", "redo",
  ]);
  const translate = (text) => (window.gettext ? window.gettext(text) : text);

  function relabel(menubar) {
    for (const element of menubar.querySelectorAll("[title], [aria-label]")) {
      for (const attribute of ["title", "aria-label"]) {
        const value = element.getAttribute(attribute);
        if (LABELS.has(value)) element.setAttribute(attribute, translate(value));
      }
    }
    for (const option of menubar.querySelectorAll(".prose-menubar__option > *")) {
      if (LABELS.has(option.textContent)) option.textContent = translate(option.textContent);
    }
  }

  new MutationObserver(() => {
    for (const menubar of document.querySelectorAll(".prose-menubar")) relabel(menubar);
  }).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["title"],
  });
})();
