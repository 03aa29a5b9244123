// The composer: the message box, the send button, and the line above them saying what the
// next send does besides posting ("Replying to bob", "Editing your message"). Enter sends,
// Shift+Enter breaks the line, Escape leaves a reply or an edit. The attach button (or
// pasting an image into the box) hands an image file to handlers.image.

import { imageFrom } from '/upload.js';

const QUOTE_CHARS = 80;

function excerpt(text) {
  const chars = [...text.replace(/\s+/g, ' ')];
  return chars.length > QUOTE_CHARS ? `${chars.slice(0, QUOTE_CHARS).join('')}…` : chars.join('');
}

export class Composer {
  // Elements: form, input (textarea), send (button), attach (button), fileInput (hidden
  // file input), context (the line above), its contextLabel, contextText and contextCancel.
  // handlers: submit(text, mode) -> true when taken (the box is then cleared),
  // typing(empty), blur(), image(file, mode) for a picked or pasted image.
  constructor(elements, handlers) {
    Object.assign(this, elements);
    this.handlers = handlers;
    this.enabled = false;
    this.mode = null;  // null, {kind: 'reply', message} or {kind: 'edit', message}
    this.draft = '';  // the text typed before an edit started, given back after it
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      } else if (event.key === 'Escape' && this.mode) {
        event.preventDefault();
        this.cancel();
      }
    });
    this.input.addEventListener('input', () => {
      this.autosize();
      this.update();
      this.handlers.typing(this.input.value.trim() === '');
    });
    this.input.addEventListener('blur', () => this.handlers.blur());
    this.contextCancel.addEventListener('click', () => this.cancel());
    this.attach.addEventListener('click', () => this.fileInput.click());
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files[0];
      this.fileInput.value = '';
      if (file) this.sendImage(file);
    });
    this.input.addEventListener('paste', (event) => {
      const file = imageFrom(event.clipboardData);
      if (!file) return;  // text pastes as usual
      event.preventDefault();
      this.sendImage(file);
    });
  }

  sendImage(file) {
    if (!this.enabled || this.mode?.kind === 'edit') return;
    this.handlers.image(file, this.mode);
    if (this.mode) this.showMode(null);
  }

  setEnabled(enabled) {
    this.enabled = enabled;
    this.update();
  }

  update() {
    this.send.disabled = !this.enabled || this.input.value.trim() === '';
    this.attach.disabled = !this.enabled || this.mode?.kind === 'edit';
    this.form.classList.toggle('disconnected', !this.enabled);
    this.send.textContent = this.mode?.kind === 'edit' ? 'Save' : 'Send';
  }

  autosize() {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 160)}px`;
  }

  setText(text) {
    this.input.value = text;
    this.autosize();
    this.update();
  }

  submit() {
    const text = this.input.value;
    if (text.trim() === '' || !this.enabled) return;
    if (!this.handlers.submit(text, this.mode)) return;
    const wasEdit = this.mode?.kind === 'edit';
    this.showMode(null);
    this.setText(wasEdit ? this.draft : '');
    this.draft = '';
    this.input.focus();
  }

  reply(message) {
    if (this.mode?.kind === 'edit') this.setText(this.draft);
    this.showMode({ kind: 'reply', message });
    this.input.focus();
  }

  edit(message) {
    if (this.mode?.kind !== 'edit') this.draft = this.input.value;
    this.showMode({ kind: 'edit', message });
    this.setText(message.message);
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
  }

  cancel() {
    if (this.mode?.kind === 'edit') this.setText(this.draft);
    this.draft = '';
    this.showMode(null);
    this.input.focus();
  }

  // The message being replied to or edited was deleted: nothing left to do with it.
  forget(id) {
    if (this.mode?.message.id === id) this.cancel();
  }

  showMode(mode) {
    this.mode = mode;
    this.context.hidden = mode === null;
    this.form.classList.toggle('editing', mode?.kind === 'edit');
    if (mode) {
      const m = mode.message;
      this.contextLabel.textContent = mode.kind === 'edit' ? 'Editing your message'
                                                           : `Replying to ${m.username}`;
      this.contextText.textContent = mode.kind === 'edit' ? '' : excerpt(m.message);
    }
    this.update();
  }
}
