// Tern console: signs the console's API calls in with the HTTP API's own credentials (a bearer token or a
// user:password of httpUsers). Loaded before console.js: it wraps fetch, and on a 401 asks for the credentials,
// keeps them in this tab's sessionStorage only, and retries.
'use strict';

(() => {
  const KEY = 'tern.authorization';
  const plainFetch = window.fetch.bind(window);
  let asking = null;

  function withAuth(init) {
    const auth = sessionStorage.getItem(KEY);
    if (!auth) return init;
    const headers = new Headers((init && init.headers) || {});
    headers.set('Authorization', auth);
    return Object.assign({}, init, { headers });
  }

  function ask() {
    if (asking) return asking;
    asking = new Promise((resolve) => {
      const box = document.createElement('form');
      box.className = 'login';
      box.innerHTML = '<h2>Sign in</h2>'
        + '<p class="muted">This broker asks for credentials: a token (httpTokens, or the generated '
        + '<code>http.token</code> file in the store root) or a user of httpUsers.</p>'
        + '<label>Token <input name="token" type="password" autocomplete="off"></label>'
        + '<p class="or">or</p>'
        + '<label>User <input name="user" autocomplete="username"></label> '
        + '<label>Password <input name="password" type="password" autocomplete="current-password"></label>'
        + '<p><button type="submit">Sign in</button></p>';
      box.addEventListener('submit', (e) => {
        e.preventDefault();
        const token = box.token.value.trim();
        const auth = token ? 'Bearer ' + token : 'Basic ' + btoa(box.user.value + ':' + box.password.value);
        sessionStorage.setItem(KEY, auth);
        box.remove();
        asking = null;
        resolve();
      });
      document.body.prepend(box);
      box.token.focus();
    });
    return asking;
  }

  window.fetch = async (input, init) => {
    let r = await plainFetch(input, withAuth(init));
    while (r.status === 401) {
      sessionStorage.removeItem(KEY);
      await ask();
      r = await plainFetch(input, withAuth(init));
    }
    return r;
  };
})();
