// Paste from Microsoft Word and Google Docs: keep the structure, drop the styling.
//
// Registered with django-prose-editor's "configurable" preset through
// settings.DJANGO_PROSE_EDITOR_EXTENSIONS (the preset imports this module and
// looks the extension up by its exported name, "WordPaste"). The clipboard HTML
// is rewritten before ProseMirror parses it:
//
// * Word writes lists as paragraphs (class MsoListParagraph…, style
//   "mso-list:l0 level1 lfo1") whose marker ("·", "1.", "١.", "o") is text
//   hidden in <![if !supportLists]> … <![endif]>. Those paragraphs become real
//   <ul>/<ol> (nested by level); the marker only decides which of the two.
// * Conditional comments and every other comment, <o:p>, classes, styles and
//   the spans left empty or bare by that go.
// * Bold spelled as CSS (Google Docs) becomes <strong> before styles go, and
//   Docs' whole-paste <b style="font-weight:normal"> wrapper is unwrapped.
// * Headings map onto the two levels the body offers, as articles/text/sanitize.py does.
//
// The server still sanitises on save (articles/text/sanitize.py); this is about
// keeping the structure a journalist meant, which the server never sees.
import { Extension, Plugin } from "django-prose-editor/editor"

const COMMENT = 8
const LIST_STYLE = /mso-list:\s*(l\d+)\s+level(\d+)\s+(lfo\d+)/i
const IGNORED_MARKER_STYLE = /mso-list:\s*ignore/i
const IF_NOT_SUPPORT = /^\s*\[if\s+!support/i
const IF_NOT_SUPPORT_LISTS = /^\s*\[if\s+!supportLists\]/i
const ENDIF = /^\s*\[endif\]\s*$/i
// "1." "12)" "١." "(a)" "iv." "أ." … : a numbered list. Anything else ("·", "o",
// "§", "•", "-") is a bullet.
const ORDERED_MARKER =
  /^\(?([0-9\u0660-\u0669\u06f0-\u06f9]+|[a-z]|[ivxlcdm]+|[\u0621-\u064a])[.)\-]/i
// A marker typed as plain text at the start of a list paragraph (Word without
// the conditional comment, e.g. some "Keep text only"-less exports).
const LEADING_MARKER =
  /^[\s\u00a0]*([·•▪■◦o§Øü\-–]|\(?([0-9\u0660-\u0669\u06f0-\u06f9]+|[a-z]|[\u0621-\u064a])[.)])[\s\u00a0]+/i
const BLANK = /^[\s\u00a0]*$/
const CSS_BOLD = /font-weight\s*:\s*(bold|[6-9]00)/i
const CSS_NOT_BOLD = /font-weight\s*:\s*(normal|[1-4]00)/i
const HEADING_LEVELS = { H1: "h2", H4: "h3", H5: "h3", H6: "h3" }

export function cleanPastedHtml(html) {
  // Copy and paste inside the editor carries ProseMirror's own slice: leave it.
  if (html.includes("data-pm-slice")) return html
  // DOMParser builds an inert document: nothing in it loads or runs.
  const doc = new DOMParser().parseFromString(html, "text/html")
  const body = doc.body
  convertWordLists(body)
  dropConditionalBlocks(body)
  dropComments(body)
  tidyElements(body)
  return body.innerHTML
}

// ---- Word's fake lists -------------------------------------------------------

function listParagraphInfo(element) {
  if (element.tagName !== "P") return null
  const style = element.getAttribute("style") || ""
  const match = LIST_STYLE.exec(style)
  if (match) return { list: match[3], level: Number(match[2]) }
  if (/^MsoListParagraph/i.test(element.className)) return { list: "", level: 1 }
  return null
}

function convertWordLists(body) {
  const open = new Map() // the outermost list element -> the stack of lists it holds
  for (const paragraph of body.querySelectorAll("p")) {
    const info = listParagraphInfo(paragraph)
    if (!info) continue
    const marker = takeMarker(paragraph)
    const ordered = ORDERED_MARKER.test(marker.replace(/^[\s\u00a0]+/, ""))

    // A list goes on while its items follow each other and share Word's list id.
    const previous = previousElement(paragraph)
    let stack = previous && open.get(previous)
    if (!stack || stack.list !== info.list) stack = Object.assign([], { list: info.list })
    while (stack.length && stack.at(-1).level > info.level) stack.pop()
    if (stack.length && stack.at(-1).level === info.level && stack.at(-1).ordered !== ordered) {
      stack.pop() // bullets turned into numbers at the same level: a new list
    }
    let top = stack.at(-1)
    if (!top || top.level < info.level) {
      const list = body.ownerDocument.createElement(ordered ? "ol" : "ul")
      if (top) top.element.lastElementChild.append(list)
      else paragraph.before(list)
      top = { level: info.level, ordered, element: list }
      stack.push(top)
    }
    const item = body.ownerDocument.createElement("li")
    const text = body.ownerDocument.createElement("p")
    if (paragraph.hasAttribute("dir")) text.setAttribute("dir", paragraph.getAttribute("dir"))
    text.append(...paragraph.childNodes)
    item.append(text)
    top.element.append(item)
    paragraph.remove()
    open.set(stack[0].element, stack)
  }
}

// The marker's text, removed from the paragraph.
function takeMarker(paragraph) {
  const walker = paragraph.ownerDocument.createTreeWalker(paragraph, NodeFilter.SHOW_COMMENT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!IF_NOT_SUPPORT_LISTS.test(node.data)) continue
    const block = conditionalBlock(node)
    if (block) {
      const marker = block.slice(1, -1).map((n) => n.textContent).join("")
      block.forEach((n) => n.remove())
      return marker
    }
  }
  const ignored = [...paragraph.querySelectorAll("span")].filter((span) =>
    IGNORED_MARKER_STYLE.test(span.getAttribute("style") || ""),
  )
  if (ignored.length) {
    const marker = ignored.map((span) => span.textContent).join("")
    ignored.forEach((span) => span.remove())
    return marker
  }
  const textWalker = paragraph.ownerDocument.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT)
  for (let node = textWalker.nextNode(); node; node = textWalker.nextNode()) {
    if (BLANK.test(node.data)) continue
    const match = LEADING_MARKER.exec(node.data)
    if (!match) return ""
    node.data = node.data.slice(match[0].length)
    return match[1]
  }
  return ""
}

// [start comment, …nodes…, end comment] when the end is a later sibling; else null.
function conditionalBlock(start) {
  const nodes = [start]
  for (let node = start.nextSibling; node; node = node.nextSibling) {
    nodes.push(node)
    if (node.nodeType === COMMENT && ENDIF.test(node.data)) return nodes
  }
  return null
}

function previousElement(node) {
  let sibling = node.previousSibling
  while (sibling && (sibling.nodeType === COMMENT || (sibling.nodeType === 3 && BLANK.test(sibling.data)))) {
    sibling = sibling.previousSibling
  }
  return sibling && sibling.nodeType === 1 ? sibling : null
}

// ---- comments ----------------------------------------------------------------

// <![if !supportEmptyParas]>&nbsp;<![endif]> and the like: what Word shows to a
// reader that lacks a feature. The editor has them all.
function dropConditionalBlocks(root) {
  for (const comment of comments(root)) {
    if (!comment.isConnected || !IF_NOT_SUPPORT.test(comment.data)) continue
    conditionalBlock(comment)?.forEach((n) => n.remove())
  }
}

function dropComments(root) {
  // <!--[if gte vml 1]> … <![endif]--> is one comment, VML drawing and all.
  for (const comment of comments(root)) comment.remove()
}

function comments(root) {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT)
  const found = []
  for (let node = walker.nextNode(); node; node = walker.nextNode()) found.push(node)
  return found
}

// ---- elements and attributes -------------------------------------------------

function tidyElements(body) {
  // Deepest first, so that a parent sees its children already tidied.
  for (const element of [...body.querySelectorAll("*")].reverse()) {
    const tag = element.tagName
    const style = element.getAttribute("style") || ""
    if (tag === "O:P" || tag === "STYLE" || tag === "META" || tag === "LINK" || tag === "XML") {
      element.remove() // <o:p>&nbsp;</o:p> is Word's spacing, nothing a reader sees
      continue
    }
    if (tag.includes(":")) {
      unwrap(element) // other Office elements (<w:sdt>, …) can hold real text
      continue
    }
    if (HEADING_LEVELS[tag]) {
      element.replaceWith(renamed(element, HEADING_LEVELS[tag]))
      continue
    }
    if ((tag === "B" || tag === "STRONG") && CSS_NOT_BOLD.test(style)) {
      unwrap(element) // Google Docs wraps the whole paste in a <b> that is not bold
      continue
    }
    if (tag === "SPAN" && CSS_BOLD.test(style)) {
      element.replaceWith(renamed(element, "strong"))
      continue
    }
    element.removeAttribute("style")
    element.removeAttribute("class")
    if (element.id && /^(docs-internal-guid|_)/.test(element.id)) element.removeAttribute("id")
    if (tag === "SPAN" && (!element.hasChildNodes() || !element.attributes.length)) unwrap(element)
    else if (tag === "P" && BLANK.test(element.textContent) && !element.querySelector("img, br")) {
      element.remove() // Word's empty spacing paragraphs
    }
  }
}

function renamed(element, tagName) {
  const replacement = element.ownerDocument.createElement(tagName)
  for (const { name, value } of element.attributes) {
    if (name === "dir" || name === "lang") replacement.setAttribute(name, value)
  }
  replacement.append(...element.childNodes)
  return replacement
}

function unwrap(element) {
  element.replaceWith(...element.childNodes)
}

export const WordPaste = Extension.create({
  name: "wordPaste",

  addProseMirrorPlugins() {
    return [new Plugin({ props: { transformPastedHTML: (html) => cleanPastedHtml(html) } })]
  },
})
