// Splice connector dashboard: the only script. Forms work without it; it only prevents double
// submits and says what is happening while the server works.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  // Disconnect and delete ask first.
  if (
    form.dataset.confirm &&
    form.dataset.submitted !== 'true' &&
    !window.confirm(form.dataset.confirm)
  ) {
    event.preventDefault();
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  if (!(button instanceof HTMLButtonElement)) return;
  if (form.dataset.submitted === 'true') {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = 'true';
  button.disabled = true;
  if (form.dataset.busyLabel) button.textContent = form.dataset.busyLabel;
});

// Coming back with the browser's back button restores the page from cache: re-enable the forms.
window.addEventListener('pageshow', () => {
  for (const form of document.querySelectorAll('form[data-submitted="true"]')) {
    delete form.dataset.submitted;
    const button = form.querySelector('button[type="submit"]');
    if (button instanceof HTMLButtonElement) button.disabled = false;
  }
});

// After an endpoint call, bring its result into view.
const result = document.querySelector('.endpoint .result');
if (result) result.scrollIntoView({ block: 'center' });
