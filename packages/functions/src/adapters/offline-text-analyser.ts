import type { DrawingComponent } from '@security-assistant/layer-common';
import { findComponents } from '../domain/components';
import type { DrawingAnalyser, DrawingInput } from '../ports';

/**
 * Reads components from the drawing's text layer with the label grammar of
 * `COMPONENT_GRAMMAR` (e.g. `CARD READER CR-01`). Used locally and in tests: no network.
 */
export class OfflineTextAnalyser implements DrawingAnalyser {
  async analyse(input: DrawingInput): Promise<DrawingComponent[]> {
    return findComponents(input.text.join('\n'));
  }
}
