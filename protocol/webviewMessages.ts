/**
 * Messages between the score panel's host (client/panel/scorePanel.ts) and its webview script
 * (client/panel/main.ts), over postMessage. The panel renders what it is given and never computes.
 */
import type { AuditReport } from './auditReport';

/** The score of an earlier audit of this workspace, kept in workspace state for the trend. */
export interface ScoreSnapshot {
  overall: number;
  grade: string;
  generatedAt: string;
  findings: number;
}

/** Host → panel. */
export type HostMessage =
  | { type: 'report'; report: AuditReport; previous?: ScoreSnapshot }
  | { type: 'running'; message: string }
  | { type: 'error'; message: string };

/** Panel → host. */
export type PanelMessage =
  | { type: 'ready' }
  | { type: 'rerun' }
  | { type: 'export' }
  | { type: 'reveal'; uri: string; line: number; character: number }
  | { type: 'openDocs'; ruleId: string; url: string }
  | { type: 'openScoringDocs'; url: string };

/** What the webview keeps with setState, so a reload (or the serializer) restores the panel. */
export interface PanelState {
  report?: AuditReport;
  previous?: ScoreSnapshot;
}

/** The view type of the score panel (also the serializer's key). */
export const SCORE_PANEL_VIEW_TYPE = 'perflint.scorePanel';
