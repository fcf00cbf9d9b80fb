export { compileBpmn, compileResource } from './compile.js';
export {
  USER_TASK_JOB_TYPE,
  HEADER_ASSIGNEE,
  HEADER_CANDIDATE_GROUPS,
  HEADER_CANDIDATE_USERS,
  HEADER_DUE_DATE,
  HEADER_FOLLOW_UP_DATE,
  HEADER_FORM_KEY,
} from './tasks.js';
export type * from './types.js';
