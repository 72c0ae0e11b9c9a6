/** The page's own styles (the cards bring theirs: CARD_CSS). */
export const PAGE_CSS = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-size: 14px; color: #1f2329; background: #e9ebef; }
button { font: inherit; cursor: pointer; }
.pg { display: flex; flex-direction: column; height: 100vh; margin: 0 auto; background: #f5f6f7; box-shadow: 0 0 12px rgba(0,0,0,.08); }
.pg.phone { width: 375px; max-width: 100%; }
.pg.desktop { width: 100%; max-width: 1200px; }
.pg-top { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 8px 10px; background: #fff; border-bottom: 1px solid #dee0e3; }
.pg-top h1 { font-size: 15px; margin: 0 8px 0 0; white-space: nowrap; }
.pg-top .spacer { flex: 1; }
.pg-btn { border: 1px solid #d0d3d6; background: #fff; border-radius: 6px; padding: 4px 10px; }
.pg-btn.primary { background: #3370ff; border-color: #3370ff; color: #fff; }
.pg-btn.on { border-color: #3370ff; color: #3370ff; }
.pg-btn:disabled { opacity: .5; cursor: default; }
.pg-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 6px 10px; background: #fafbfc; border-bottom: 1px solid #dee0e3; font-size: 13px; }
.pg-tools select, .pg-tools input { font: inherit; padding: 3px 4px; border: 1px solid #d0d3d6; border-radius: 4px; max-width: 100%; }
.pg-job-result { width: 100%; color: #646a73; }
.pg-job-result:empty { display: none; }
.pg-guide { width: 100%; color: #646a73; }
.pg-guide summary { cursor: pointer; color: #3370ff; }
.pg-guide ol { margin: 4px 0; padding-left: 20px; line-height: 1.6; }
.pg-main { flex: 1; display: flex; min-height: 0; }
.pg-side { width: 260px; flex: none; background: #fff; border-right: 1px solid #dee0e3; overflow-y: auto; }
.pg.phone .pg-side { width: 100%; border-right: 0; }
.pg.phone.in-chat .pg-side { display: none; }
.pg.phone:not(.in-chat) .pg-chat { display: none; }
.pg-chats { list-style: none; margin: 0; padding: 0; }
.pg-chats li { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid #f0f1f2; cursor: pointer; }
.pg-chats li.active { background: #e1eaff; }
.pg-avatar { width: 34px; height: 34px; border-radius: 50%; display: flex; align-items: center; justify-content: center; color: #fff; font-size: 13px; flex: none; background: #7f8aa0; }
.pg-avatar.bot { background: #3370ff; }
.pg-avatar.group { background: #00b3a1; border-radius: 8px; }
.pg-chat-name { flex: 1; min-width: 0; }
.pg-chat-name b { display: block; font-weight: 500; }
.pg-chat-name small { color: #8f959e; display: block; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.pg-badge { background: #f54a45; color: #fff; border-radius: 9px; font-size: 11px; padding: 0 6px; line-height: 18px; }
.pg-chat { flex: 1; display: flex; flex-direction: column; min-width: 0; }
.pg-chat-head { display: flex; align-items: center; gap: 8px; padding: 8px 10px; background: #fff; border-bottom: 1px solid #dee0e3; }
.pg-chat-title { flex: 1; min-width: 0; }
.pg-chat-title b { display: block; }
.pg-chat-hint { display: block; color: #8f959e; font-size: 12px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.pg.desktop .pg-back { display: none; }
.pg-log { flex: 1; overflow-y: auto; padding: 10px 8px 16px; }
.pg-msg { display: flex; gap: 6px; margin: 10px 0; align-items: flex-start; }
.pg-msg.mine { flex-direction: row-reverse; }
.pg-msg-body { max-width: calc(100% - 44px); min-width: 0; }
.pg-msg.card .pg-msg-body { flex: 1; }
/* Feishu's desktop client draws cards at most about 600 px wide. */
.pg.desktop .pg-msg.card .pg-msg-body { max-width: 600px; flex: 0 1 600px; }
.pg-msg-who { font-size: 12px; color: #8f959e; margin: 0 2px 2px; }
.pg-msg.mine .pg-msg-who { text-align: right; }
.pg-bubble { background: #fff; border-radius: 8px; padding: 8px 10px; white-space: pre-wrap; word-break: break-word; line-height: 1.5; }
.pg-msg.mine .pg-bubble { background: #cce0ff; }
.pg-quote { font-size: 12px; color: #8f959e; border-left: 2px solid #d0d3d6; padding-left: 6px; margin-bottom: 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pg-at { color: #3370ff; }
.pg-file { display: flex; align-items: center; gap: 8px; }
.pg-file-icon { width: 32px; height: 38px; background: #00b42a; color: #fff; border-radius: 4px; display: flex; align-items: center; justify-content: center; font-size: 11px; flex: none; }
.pg-problems { font-size: 12px; color: #f54a45; margin-top: 4px; }
.pg-composer { display: flex; gap: 6px; align-items: flex-end; padding: 8px; background: #fff; border-top: 1px solid #dee0e3; }
.pg-composer textarea { flex: 1; min-width: 0; resize: none; height: 38px; font: inherit; padding: 8px; border: 1px solid #d0d3d6; border-radius: 6px; }
.pg-attach { position: relative; overflow: hidden; }
.pg-attach input { position: absolute; inset: 0; opacity: 0; cursor: pointer; }
.pg-note { text-align: center; color: #8f959e; font-size: 12px; margin: 8px 0; }
.pg-empty { color: #8f959e; text-align: center; padding: 40px 10px; }
.pg-toasts { position: fixed; top: 56px; left: 50%; transform: translateX(-50%); z-index: 100; display: flex; flex-direction: column; gap: 6px; align-items: center; pointer-events: none; width: max-content; max-width: 90vw; }
.pg-toast { background: rgba(31,35,41,.92); color: #fff; padding: 8px 14px; border-radius: 8px; box-shadow: 0 4px 12px rgba(0,0,0,.15); }
.pg-toast.success::before { content: "✓ "; color: #34c724; }
.pg-toast.error::before { content: "✕ "; color: #f76964; }
.pg-toast.warning::before { content: "! "; color: #ffc60a; }
.pg-cast-editor { padding: 8px 10px; background: #fff; border-bottom: 1px solid #dee0e3; display: grid; gap: 6px; font-size: 13px; }
.pg-cast-editor[hidden] { display: none; }
.pg-cast-editor label { display: flex; gap: 4px; align-items: center; flex-wrap: wrap; }
.pg-cast-editor input { font: inherit; padding: 2px 4px; border: 1px solid #d0d3d6; border-radius: 4px; width: 8em; }
`;
