/**
 * The renderer's styles, every class prefixed `fc-`. Sizes follow the Feishu card on a phone:
 * 14 px text on 22 px lines, 12 px padding, 8 px between components, 6 px rounded controls.
 */
import { colourCss } from './palette.js';

const FONT = `-apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif`;

const SIZES: Array<[string, number, number, boolean]> = [
  ['heading-0', 30, 38, true],
  ['heading-1', 24, 32, true],
  ['heading-2', 20, 28, true],
  ['heading-3', 18, 26, true],
  ['heading-4', 16, 24, true],
  ['heading', 16, 24, true],
  ['normal', 14, 22, false],
  ['notation', 12, 20, false],
  ['xxxx-large', 30, 38, false],
  ['xxx-large', 24, 32, false],
  ['xx-large', 20, 28, false],
  ['x-large', 18, 26, false],
  ['large', 16, 24, false],
  ['medium', 14, 22, false],
  ['small', 12, 20, false],
  ['x-small', 10, 16, false],
];

const sizeCss = SIZES.map(([name, size, line, bold]) => `.fc-size-${name}{font-size:${size}px;line-height:${line}px;${bold ? 'font-weight:600;' : ''}}`).join(
  '\n',
);

export const CARD_CSS = `
.fc-card{box-sizing:border-box;width:100%;max-width:100%;background:#fff;border:1px solid #dee0e3;border-radius:8px;overflow:hidden;font-family:${FONT};font-size:14px;line-height:22px;color:#1f2329;text-align:left;-webkit-text-size-adjust:100%}
.fc-card *,.fc-card *::before,.fc-card *::after{box-sizing:border-box}
.fc-header{padding:12px 12px 10px;background:#fff}
.fc-header.fc-t-default{border-bottom:1px solid #eff0f1}
.fc-title-row{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px}
.fc-title{font-size:16px;line-height:24px;font-weight:600;min-width:0;overflow-wrap:anywhere}
.fc-subtitle{margin-top:2px;font-size:12px;line-height:20px;color:#646a73;overflow-wrap:anywhere}
.fc-tag{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;line-height:20px;font-weight:500;white-space:nowrap}
.fc-header .fc-tag{background:rgba(255,255,255,.85)}
.fc-body{padding:12px;display:flex;flex-direction:column;gap:8px}
.fc-markdown,.fc-text{min-width:0;overflow-wrap:anywhere;word-break:break-word;white-space:normal}
.fc-text{white-space:pre-wrap}
.fc-clamp{display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden}
.fc-align-center{text-align:center}.fc-align-right{text-align:right}
${sizeCss}
.fc-md-line,.fc-md-li,.fc-md-h,.fc-md-quote{min-height:22px}
.fc-md-gap{height:8px}
.fc-md-li{display:flex;gap:6px}
.fc-md-bullet,.fc-md-num{flex:none;color:#646a73}
.fc-md-li-body{min-width:0;flex:1}
.fc-md-bullet{width:10px;text-align:center}
.fc-md-h{font-weight:600}.fc-md-h1{font-size:20px;line-height:28px}.fc-md-h2{font-size:18px;line-height:26px}.fc-md-h3{font-size:16px;line-height:24px}
.fc-md-quote{border-left:3px solid #dee0e3;padding-left:8px;color:#646a73}
.fc-markdown strong{font-weight:600}
.fc-link{color:#245bdb;text-decoration:none}
.fc-at{color:#245bdb;font-weight:500}
.fc-hr{border:0;border-top:1px solid #dee0e3;margin:4px 0;height:0}
.fc-colset{display:flex;flex-wrap:nowrap;align-items:flex-start;min-width:0}
.fc-flex-flow{flex-wrap:wrap}
.fc-flex-stretch{flex-wrap:wrap}.fc-flex-stretch>.fc-col{min-width:120px}
.fc-flex-bisect{display:grid;grid-template-columns:repeat(2,minmax(0,1fr))}
.fc-flex-trisect{display:grid;grid-template-columns:repeat(3,minmax(0,1fr))}
.fc-col{display:flex;flex-direction:column;gap:8px;min-width:0}
.fc-bg{padding:8px;border-radius:6px}
.fc-btn{display:inline-flex;align-items:center;justify-content:center;max-width:100%;margin:0;border:1px solid #d0d3d6;border-radius:6px;background:#fff;color:#1f2329;font:inherit;font-size:14px;line-height:22px;padding:4px 11px;cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.fc-btn-tiny{padding:0 7px;font-size:12px;line-height:20px}
.fc-btn-small{padding:2px 11px}
.fc-btn-large{padding:8px 15px;font-size:16px;line-height:24px}
.fc-btn-primary{border-color:#3370ff;color:#245bdb}
.fc-btn-danger{border-color:#f54a45;color:#d83931}
.fc-btn-primary_filled{border-color:#3370ff;background:#3370ff;color:#fff}
.fc-btn-danger_filled{border-color:#f54a45;background:#f54a45;color:#fff}
.fc-btn-laser{border-color:transparent;background:linear-gradient(90deg,#3370ff,#8d55ed);color:#fff}
.fc-btn-text,.fc-btn-primary_text,.fc-btn-danger_text{border-color:transparent;background:transparent;padding-left:4px;padding-right:4px}
.fc-btn-primary_text{color:#245bdb}.fc-btn-danger_text{color:#d83931}
.fc-btn:disabled{cursor:not-allowed;border-color:#dee0e3;background:#f2f3f5;color:#bbbfc4}
.fc-btn-text:disabled,.fc-btn-primary_text:disabled,.fc-btn-danger_text:disabled{background:transparent;border-color:transparent}
.fc-w-fill{width:100%}
.fc-form{display:flex;flex-direction:column;gap:8px;margin:0}
.fc-field{display:flex;flex-direction:column;gap:4px;min-width:0;max-width:100%}
.fc-label-left{flex-direction:row;align-items:center;gap:8px}
.fc-label{font-size:14px;line-height:22px;color:#1f2329}
.fc-required{color:#f54a45;margin-left:2px}
.fc-input{display:block;width:100%;min-width:0;margin:0;border:1px solid #d0d3d6;border-radius:6px;background:#fff;color:#1f2329;font:inherit;font-size:14px;line-height:22px;padding:4px 11px;min-height:32px}
.fc-input::placeholder{color:#8f959e}
.fc-input:focus{outline:none;border-color:#3370ff;box-shadow:0 0 0 2px rgba(51,112,255,.2)}
.fc-textarea{resize:vertical}
.fc-select{appearance:auto}
.fc-select:invalid{color:#8f959e}
.fc-invalid{border-color:#f54a45}
.fc-field-error{font-size:12px;line-height:20px;color:#d83931}
.fc-table{min-width:0}
.fc-table-scroll{overflow-x:auto;border:1px solid #dee0e3;border-radius:6px}
.fc-table table{border-collapse:separate;border-spacing:0;width:100%;font-size:14px;line-height:22px}
.fc-th,.fc-td{padding:5px 6px;border-bottom:1px solid #eff0f1;text-align:left;vertical-align:top;white-space:nowrap}
.fc-td-lark_md,.fc-td-markdown,.fc-td-text{white-space:normal;min-width:64px;overflow-wrap:anywhere}
.fc-td-number,.fc-th-number{text-align:right}
.fc-th{font-weight:400;color:#1f2329}
.fc-th-grey{background:#f5f6f7}
.fc-th-bold{font-weight:600}
.fc-table tbody tr:last-child .fc-td{border-bottom:0}
.fc-freeze .fc-th:first-child,.fc-freeze .fc-td:first-child{position:sticky;left:0;background:#fff;z-index:1}
.fc-freeze .fc-th-grey:first-child{background:#f5f6f7}
.fc-pager{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:4px;margin-top:8px}
.fc-page{min-width:28px;padding:0 6px;border:1px solid #dee0e3;border-radius:4px;background:#fff;color:#1f2329;font:inherit;font-size:12px;line-height:22px;cursor:pointer}
.fc-page-current{border-color:#3370ff;color:#245bdb}
.fc-chart{margin:0;min-width:0}
.fc-chart-title{font-size:14px;line-height:22px;font-weight:600;text-align:center;margin-bottom:4px}
.fc-chart-svg{display:block;width:100%;height:auto;font-family:${FONT}}
.fc-chart-grid{stroke:#eff0f1;stroke-width:1.5}
.fc-chart-tick{fill:#646a73;font-size:21px}
.fc-chart-label{fill:#1f2329;font-size:21px;font-weight:600}
.fc-chart-line{fill:none;stroke:#3370ff;stroke-width:3;stroke-linejoin:round}
.fc-chart-point{fill:#fff;stroke:#3370ff;stroke-width:3}
.fc-chart-bar{fill:#3370ff}
.fc-error{padding:8px 10px;border:1px dashed #f54a45;border-radius:6px;background:#fff0f0;color:#d83931;font-size:12px;line-height:20px;overflow-wrap:anywhere}
.fc-error-path{display:block;color:#8f959e;font-family:ui-monospace,Menlo,Consolas,monospace}
.fc-modal-backdrop{position:fixed;inset:0;background:rgba(31,35,41,.45);display:flex;align-items:center;justify-content:center;padding:24px;z-index:1000;font-family:${FONT}}
.fc-modal{width:100%;max-width:320px;background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 8px 24px rgba(31,35,41,.2)}
.fc-modal-title{padding:20px 20px 0;font-size:17px;line-height:26px;font-weight:600;text-align:center;color:#1f2329}
.fc-modal-text{padding:8px 20px 20px;font-size:14px;line-height:22px;color:#646a73;text-align:center;overflow-wrap:anywhere;white-space:pre-wrap}
.fc-modal-actions{display:flex;border-top:1px solid #dee0e3}
.fc-modal-actions button{flex:1;border:0;background:#fff;font:inherit;font-size:16px;line-height:24px;padding:12px;cursor:pointer;color:#1f2329}
.fc-modal-actions button+button{border-left:1px solid #dee0e3;color:#245bdb;font-weight:600}
${colourCss()}
`;
