// auth.js: the sign-in and sign-up screens.
import * as api from './api.js';
import { h, replace, field } from './dom.js';
import { showError, announce } from './ui.js';
import { signedIn } from './app.js';

function authPage(main, title, form, footer) {
  replace(main, h('section', { class: 'page auth' },
    h('h1', { text: title }),
    h('p', { class: 'lede', text: 'Release SOPs that teams can see, check, share and run.' }),
    form, footer));
  form.querySelector('input').focus();
}

export function signIn(main) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card stack', id: 'signin-form' },
    field('Email', email), field('Password', password),
    h('button', { type: 'submit', class: 'btn btn-primary', text: 'Sign in' }));
  form.addEventListener('submit', (e) => submit(e, form, '/api/auth/signin', { email, password }));
  authPage(main, 'Sign in', form,
    h('p', null, 'New here? ', h('a', { href: '#/signup', id: 'to-signup', text: 'Create an account' }), '.'));
}

export function signUp(main) {
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', required: true });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: '10' });
  const form = h('form', { class: 'card stack', id: 'signup-form' },
    field('Name', name), field('Email', email),
    field('Password', password, 'At least 10 characters.'),
    h('button', { type: 'submit', class: 'btn btn-primary', text: 'Create account' }));
  form.addEventListener('submit', (e) => submit(e, form, '/api/auth/signup', { name, email, password }));
  authPage(main, 'Create your account', form,
    h('p', null, 'Already have an account? ', h('a', { href: '#/signin', text: 'Sign in' }), '.'));
}

async function submit(e, form, path, inputs) {
  e.preventDefault();
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    // The CSRF token comes from GET /api/me, even before signing in.
    await api.me();
    const body = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value]));
    await api.post(path, body);
    announce('Signed in.');
    await signedIn();
  } catch (err) {
    showError(err);
    button.disabled = false;
  }
}
