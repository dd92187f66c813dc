// Apply the saved theme before first paint so there is no flash. A file, not an inline
// script, so the admin's Content-Security-Policy can be script-src 'self'.
try {
  var t = localStorage.getItem("docent-theme");
  if (t === "dark" || (t !== "light" && matchMedia("(prefers-color-scheme: dark)").matches)) document.documentElement.dataset.theme = "dark";
} catch {
  // No storage or matchMedia: keep the default (light) theme.
}
