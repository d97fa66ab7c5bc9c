// A form whose action is previewed first: a dry run shows what would happen, and only then may
// the action be confirmed, with exactly what was previewed; typing anything asks for a new preview.

/**
 * @param {{form: HTMLFormElement, preview: HTMLElement, confirm: HTMLButtonElement, error: HTMLElement,
 *   ask: () => object, show: (request: object) => Promise<Node[]>, act: (request: object) => Promise<void>}} parts
 *   ask reads the form (throwing an Error to refuse it), show dry-runs a request, act carries it out
 */
export function previewed({ form, preview, confirm, error, ask, show, act }) {
  /** The request the preview was made for. */
  let request = null;

  function forget() {
    request = null;
    confirm.disabled = true;
    preview.replaceChildren();
  }

  function fail(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  form.addEventListener('input', forget);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fail('');
    forget();
    try {
      const asked = ask();
      preview.replaceChildren(...await show(asked));
      request = asked;
      confirm.disabled = false;
    } catch (ex) {
      fail(ex.message);
    }
  });
  confirm.addEventListener('click', async () => {
    if (!request) {
      return;
    }
    const sent = request;
    forget();
    try {
      await act(sent);
    } catch (ex) {
      fail(ex.message);
    }
  });
  return { forget };
}
