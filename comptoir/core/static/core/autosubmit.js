// Submits the form of a <select data-autosubmit> when its value changes (the back office's
// language switch). A file rather than an inline handler: the Content Security Policy
// (script-src 'self') blocks inline ones.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
