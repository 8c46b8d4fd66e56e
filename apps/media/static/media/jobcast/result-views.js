// The media kinds on the job page (docs/media.md): images as a gallery, audio in an <audio>
// player, video in a <video> player, a ZIP as a download, the script as readable scenes, and
// every other file as a download link. On the dashboard card: the first image and the file count.

import { h } from "/static/jobcast/js/dom.js";
import { t } from "/static/jobcast/js/i18n.js";
import { bytes, num } from "/static/jobcast/js/viewkit.js";

const KINDS = ["media.script", "media.character_images", "media.audio", "media.video", "media.export"];

/** Only the service's own file URLs are used as sources (never a URL from elsewhere). */
const own = (f) => typeof f?.url === "string" && f.url.startsWith("/");
const type = (f) => String(f.content_type || "");

function files(result) {
  const list = [...(result.images || []), ...(result.files || [])].filter(own);
  const seen = new Set();
  return list.filter((f) => !seen.has(f.url) && seen.add(f.url));
}

function gallery(images) {
  if (!images.length) return null;
  return h("ul", { class: "gallery", "aria-label": t("Images") }, images.map((f) =>
    h("li", {}, h("figure", {},
      h("a", { href: f.url }, h("img", { src: f.url, alt: f.character ? t("Character %(name)s", { name: f.character }) : f.name,
        width: f.width || null, height: f.height || null })),
      h("figcaption", { class: "small" }, f.character || f.name)))));
}

function audioPlayer(audios) {
  if (!audios.length) return null;
  return h("figure", { class: "media-player" },
    h("audio", { controls: true, preload: "metadata" }, audios.map((f) => h("source", { src: f.url, type: type(f) }))),
    h("figcaption", { class: "small muted" }, audios.map((f) => f.name).join(" · ")));
}

function videoPlayer(videos, poster, result) {
  if (!videos.length) return null;
  return h("figure", { class: "media-player" },
    h("video", { controls: true, preload: "metadata", poster: poster?.url || null, width: result.width || null, height: result.height || null },
      videos.map((f) => h("source", { src: f.url, type: type(f) }))),
    h("figcaption", { class: "small muted" }, result.duration_s != null
      ? t("%(name)s, %(s)s s, %(w)s × %(h)s", { name: videos[0].name, s: num(result.duration_s, { maximumFractionDigits: 1 }), w: result.width ?? "–", h: result.height ?? "–" })
      : videos[0].name));
}

function downloads(list, { zip = false } = {}) {
  if (!list.length) return null;
  return h("ul", { class: `downloads${zip ? " downloads-zip" : ""}` }, list.map((f) =>
    h("li", {}, h("a", { href: f.url, download: f.name, class: zip ? "btn primary" : null }, zip ? t("Download %(name)s", { name: f.name }) : f.name),
      h("span", { class: "muted small" }, ` ${bytes(f.size)}`))));
}

function scriptView(script) {
  if (!script || !Array.isArray(script.scenes)) return null;
  return h("article", { class: "script" },
    h("h3", { class: "script-title" }, script.title || t("Script")),
    script.logline ? h("p", { class: "script-logline" }, script.logline) : null,
    (script.characters || []).length ? h("dl", { class: "meta script-cast" }, script.characters.map((c) =>
      [h("dt", {}, c.name), h("dd", {}, [c.role, c.description].filter(Boolean).join(" — "))])) : null,
    h("ol", { class: "scenes" }, script.scenes.map((scene) => h("li", { class: "scene" },
      h("h4", {}, t("Scene %(n)s: %(title)s", { n: scene.number, title: scene.title || "" })),
      scene.setting ? h("p", { class: "scene-setting muted" }, scene.setting) : null,
      scene.narration ? h("p", { class: "scene-narration" }, scene.narration) : null,
      scene.visual ? h("p", { class: "scene-visual small muted" }, t("Picture: %(visual)s", { visual: scene.visual })) : null))));
}

function resultView(container, result) {
  const all = files(result);
  const images = all.filter((f) => type(f).startsWith("image/"));
  const audios = all.filter((f) => type(f).startsWith("audio/"));
  const videos = all.filter((f) => type(f).startsWith("video/"));
  const zips = all.filter((f) => /zip/.test(type(f)) || f.name?.endsWith(".zip"));
  const rest = all.filter((f) => ![images, audios, videos, zips].some((group) => group.includes(f)));
  const poster = images.find((f) => f.name === "title.png");
  container.append(h("div", { class: "media-view" },
    result.note ? h("p", { class: "media-note" }, result.note) : null,
    videoPlayer(videos, poster, result),
    audioPlayer(audios),
    gallery(images),
    downloads(zips, { zip: true }),
    scriptView(result.script),
    rest.length ? [h("h3", {}, t("Files")), downloads(rest)] : null));
}

function cardView(container, result) {
  const all = files(result);
  const image = all.find((f) => type(f).startsWith("image/"));
  container.append(h("div", { class: "card-preview" },
    image ? h("img", { class: "card-thumb", src: image.url, alt: image.name }) : null,
    h("span", {}, t("%(n)s files", { n: all.length }))));
}

window.Jobcast = window.Jobcast || {};
window.Jobcast.resultViews = window.Jobcast.resultViews || {};
window.Jobcast.cardViews = window.Jobcast.cardViews || {};
for (const kind of KINDS) {
  window.Jobcast.resultViews[kind] = resultView;
  window.Jobcast.cardViews[kind] = cardView;
}
