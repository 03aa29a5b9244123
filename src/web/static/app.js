// Shared rules for parley's pages, and the landing page (index.html): pick a name and a
// room, remember the name, go to the chat page. The rules mirror the server's, so a name
// or room the server would refuse is caught here with a sentence instead.

export const USERNAME_KEY = 'parley.username';
export const DEFAULT_ROOM = 'general';
export const MAX_USERNAME_CHARS = 32;
export const MAX_ROOM_CHARS = 64;

// C0 and C1 control characters, and DEL.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const ROOM_CHARS = /^[A-Za-z0-9_.-]+$/;

// Returns a sentence saying what is wrong with `name`, or '' when the server accepts it.
// Lengths count characters (code points), as the server does, not UTF-16 units.
export function usernameProblem(name) {
  const length = [...name].length;
  if (length === 0) return 'Please enter a name.';
  if (length > MAX_USERNAME_CHARS) {
    return `Names can be at most ${MAX_USERNAME_CHARS} characters (this one has ${length}).`;
  }
  if (CONTROL_CHARS.test(name)) return 'Names cannot contain control characters.';
  return '';
}

export function roomProblem(room) {
  if (room.length === 0) return 'Please enter a room name.';
  if (!ROOM_CHARS.test(room)) {
    return 'Room names can only use letters, digits, dots (.), dashes (-) and underscores (_).';
  }
  if (room.length > MAX_ROOM_CHARS) {
    return `Room names can be at most ${MAX_ROOM_CHARS} characters (this one has ${room.length}).`;
  }
  return '';
}

// localStorage can throw (disabled storage, private modes): the name is then simply not
// remembered.
export function loadUsername() {
  try {
    return localStorage.getItem(USERNAME_KEY) || '';
  } catch {
    return '';
  }
}

// Returns false when the name could not be stored.
export function saveUsername(name) {
  try {
    localStorage.setItem(USERNAME_KEY, name);
    return true;
  } catch {
    return false;
  }
}

export function chatUrl(room, username) {
  const params = new URLSearchParams({ room });
  if (username !== undefined) params.set('username', username);
  return `/chat.html?${params}`;
}

function showProblem(input, errorEl, problem) {
  errorEl.textContent = problem;
  errorEl.hidden = problem === '';
  input.setAttribute('aria-invalid', problem === '' ? 'false' : 'true');
}

function initLanding(form) {
  const username = form.querySelector('#username');
  const room = form.querySelector('#room');
  const usernameError = form.querySelector('#username-error');
  const roomError = form.querySelector('#room-error');

  const params = new URLSearchParams(location.search);
  username.value = params.get('username') || loadUsername();
  const requestedRoom = params.get('room');
  if (requestedRoom) room.value = requestedRoom;
  if (username.value) room.focus();

  // Errors appear on submit, then update live while the user fixes them.
  let submitted = false;
  const check = () => {
    const name = username.value.trim();
    const nameProblem = usernameProblem(name);
    const roomName = room.value.trim();
    const roomNameProblem = roomProblem(roomName);
    if (submitted) {
      showProblem(username, usernameError, nameProblem);
      showProblem(room, roomError, roomNameProblem);
    }
    return { name, roomName, ok: !nameProblem && !roomNameProblem };
  };
  username.addEventListener('input', check);
  room.addEventListener('input', check);
  // Sent back here from a chat address with a bad name or room: say why at once.
  if (requestedRoom && roomProblem(requestedRoom.trim())) {
    submitted = true;
    check();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitted = true;
    const { name, roomName, ok } = check();
    if (!ok) {
      (usernameProblem(name) ? username : room).focus();
      return;
    }
    // Without storage the chat page still learns the name from its address.
    const saved = saveUsername(name);
    location.assign(chatUrl(roomName, saved ? undefined : name));
  });
}

const form = document.getElementById('join-form');
if (form) initLanding(form);
