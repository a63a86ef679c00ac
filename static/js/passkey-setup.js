// After django-otp-webauthn has registered a passkey, show the page again with it listed.
document.addEventListener("otp_webauthn.register_complete", () => {
  const button = document.getElementById("passkey-register-button");
  window.location.assign(button?.dataset.reloadTo || window.location.href);
});
