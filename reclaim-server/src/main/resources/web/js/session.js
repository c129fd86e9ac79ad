// Who the server takes this tab for ({name, role} from GET /api/v1/whoami), so pages offer only what
// the role may do and say why the rest is off, instead of letting the person collect 403s.

const RANK = { viewer: 1, operator: 2, admin: 3 };
let me = null;

/** Sets the caller (null when unknown: no token accepted yet). */
export function setMe(value) {
  me = value && RANK[value.role] ? value : null;
}

/** The caller as {name, role}, or null. */
export function who() {
  return me;
}

/** True when the caller's role includes {@code role} (viewer < operator < admin). */
export function can(role) {
  return !!me && RANK[me.role] >= RANK[role];
}

/** Why something is off: "needs operator (this token is viewer)". */
export function needs(role) {
  return 'needs ' + role + (me ? ' (this token is ' + me.role + ')' : ' (no accepted token)');
}

/**
 * Disables a control the caller may not use, with the reason as its tooltip; returns true when allowed.
 * A disabled control keeps data-needs so a page can re-check it.
 */
export function gate(el, role) {
  if (can(role)) {
    el.removeAttribute('data-needs');
    return true;
  }
  el.disabled = true;
  el.title = needs(role);
  el.dataset.needs = role;
  return false;
}
