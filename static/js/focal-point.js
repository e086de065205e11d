// The image's admin page: click the picture to set its focal point (the part that crops
// keep in view). The two focal fields hold 0–1 from the left and top edges; the server
// validates them and remakes the cropped renditions on save. No inline script: the CSP
// allows only our own files.
(() => {
  const setUp = () => {
    const picture = document.querySelector("[data-focal-picker] img");
    const x = document.getElementById("id_focal_x");
    const y = document.getElementById("id_focal_y");
    if (!picture || !x || !y) return; // read-only view: nothing to set
    const frame = picture.parentElement;
    frame.classList.add("focal-picker--active");
    const marker = document.createElement("span");
    marker.className = "focal-marker";
    marker.hidden = true;
    frame.appendChild(marker);

    const show = () => {
      const fx = parseFloat(x.value);
      const fy = parseFloat(y.value);
      marker.hidden = Number.isNaN(fx) || Number.isNaN(fy);
      if (!marker.hidden) {
        marker.style.left = `${fx * 100}%`; // CSSOM, not a style attribute: allowed by the CSP
        marker.style.top = `${fy * 100}%`;
      }
    };
    const clamp = (v) => Math.min(1, Math.max(0, v));
    picture.addEventListener("click", (event) => {
      const box = picture.getBoundingClientRect();
      x.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
      y.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
      x.dispatchEvent(new Event("change", { bubbles: true }));
      y.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    show();
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
