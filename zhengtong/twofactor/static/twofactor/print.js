// The print button works only with JavaScript, so it is hidden until this script shows it.
document.querySelectorAll("[data-zt-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
