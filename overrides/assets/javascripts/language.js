// Keep the section (#anchor) when switching language: both languages use the same anchors.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[data-language-switch]");
  if (link && window.location.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
});
