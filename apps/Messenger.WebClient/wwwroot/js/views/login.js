// Log in, or create an account (which logs in too).

import { $ } from '../dom.js';

const USERNAME = /^[a-z0-9_.-]{3,32}$/;

export function mountLogin({ api, onSignedIn }) {
  const view = $('login-view');
  const form = $('auth-form');
  const username = $('username');
  const password = $('password');
  const error = $('auth-error');
  const buttons = [$('login'), $('register')];

  function invalid(field, message) {
    error.textContent = message;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
    return false;
  }

  function validate() {
    username.removeAttribute('aria-invalid');
    password.removeAttribute('aria-invalid');
    const name = username.value.trim();
    if (!USERNAME.test(name)) {
      return invalid(username, name !== name.toLowerCase()
        ? 'Usernames are lower case.'
        : 'A username is 3 to 32 characters: lower-case letters, digits, _ . or -.');
    }
    if (password.value.length < 8) return invalid(password, 'A password has at least 8 characters.');
    return true;
  }

  async function submit(action) {
    error.textContent = '';
    if (!validate()) return;
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const auth = action === 'register'
        ? await api.register(username.value.trim(), password.value)
        : await api.login(username.value.trim(), password.value);
      password.value = '';
      onSignedIn(auth);
    } catch (e) {
      if (action === 'login' && e.status === 401) error.textContent = 'Wrong username or password.';
      else if (action === 'register' && e.status === 409) error.textContent = 'That username is taken. Pick another, or log in.';
      else if (e.status === 429) error.textContent = 'Too many attempts. Wait a moment and try again.';
      else error.textContent = e.message;
      (e.status === 409 ? username : password).focus();
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit('login');
  });
  $('register').addEventListener('click', () => submit('register'));

  return {
    show(message = '') {
      view.hidden = false;
      error.textContent = message;
      username.focus();
    },
    hide() {
      view.hidden = true;
    },
  };
}
